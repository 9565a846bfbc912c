import type { Position, Stats, Trade } from '../../src-shared/contract';
import { tradeFigures, type TradeTotals } from '../../src-shared/trade-totals';
import { accountPart, computeStats } from './stats';

export { addTrade, NO_TRADES, type TradeTotals } from '../../src-shared/trade-totals';

/**
 * Equity figures the trading core keeps per candle, persisted with the equity curve so a restart resumes them:
 * the running peak, the largest fall from it, and the UTC day (market time) with its starting equity.
 */
export interface EquityMarks {
  peak: number;
  max_drawdown_pct: number;
  day: number;
  day_start: number;
}

export { todayPnl } from './stats';

/** /bot/stats from the kept figures: O(open positions), whatever the history. Same formulas as computeStats. */
export function statsFromTotals(p: {
  totals: TradeTotals;
  startEquity: number;
  openPositions: readonly Position[];
  maxDrawdownPct: number;
  todayStart: number;
  stakeCurrency: string;
  netCashFlow: number;
  holdingsPnl: number;
}): Stats {
  const t = p.totals;
  return { ...tradeFigures(t), ...accountPart({ ...p, realized: t.realized, tradeFees: t.fees }) };
}

/** The totals computeStats (the oracle) finds in a trade list. */
export function totalsOf(trades: readonly Trade[]): TradeTotals {
  const s = computeStats({ trades, startEquity: 0, openPositions: [], maxDrawdownPct: 0, todayStart: 0, nowTs: 0, stakeCurrency: '' });
  return {
    trades: s.trades_count,
    wins: s.wins,
    losses: s.losses,
    realized: s.realized_pnl,
    fees: s.fees_paid,
    gross_profit: s.gross_profit,
    gross_loss: s.gross_loss,
    best: s.best_trade_pnl,
    worst: s.worst_trade_pnl,
    last_trade_id: s.last_trade_id,
  };
}

const near = (a: number | null, b: number | null, rel: number) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

/** Fields where the kept totals differ from the oracle's (money to `rel` relative, counts and ids exactly). */
export function totalsMismatch(kept: TradeTotals, oracle: TradeTotals, rel = 1e-9): string[] {
  const out: string[] = [];
  for (const k of Object.keys(oracle) as (keyof TradeTotals)[]) {
    const exact = k === 'trades' || k === 'wins' || k === 'losses' || k === 'last_trade_id';
    if (exact ? kept[k] !== oracle[k] : !near(kept[k], oracle[k], rel)) out.push(k);
  }
  return out;
}
