import type { MaybePromise } from '../ports/exchange.port';
import { trailedStop } from '../risk/trailing-stop';
import type { Executor } from './executor';
import { sequence } from './maybe';

/** one closed candle and the config's trailing rule, as the core hands them over */
export interface TrailingCandle {
  /** the candle's open time: a position opened after it (filled during it) counts only the close as its high */
  ts: number;
  high: number;
  close: number;
  trailingPct: number;
  activationPct: number;
  priceStep: number;
}

/**
 * After a candle, before the strategy sees it (backtest, paper and live alike): every open position's stop follows
 * the candle's high (risk/trailing-stop.ts) and its resting stop is moved there (Executor.moveStop). A position that
 * filled during the candle counts its close instead: the high may have come before the fill, the close came after it.
 * A raised stop at or above the close means the market fell that far from the high within the candle, after the high:
 * a resting trailing stop would have sold, and an exchange refuses a stop above the price, so it is sold at market now.
 */
export function trailStops(executor: Executor, c: TrailingCandle): MaybePromise<void> {
  return sequence(executor.openPositions(), (p) => {
    if (!executor.getPosition(p.id) || executor.isDust(p)) return undefined;
    const stop = trailedStop({
      entryPrice: p.entry_price,
      stop: p.stop_loss_price,
      high: p.opened_at > c.ts ? c.close : c.high,
      trailingPct: c.trailingPct,
      activationPct: c.activationPct,
      priceStep: c.priceStep,
    });
    if (!(stop > p.stop_loss_price)) return undefined;
    if (stop >= c.close) return executor.exit(p.id, 'trailing_stop');
    return executor.moveStop(p.id, stop);
  });
}
