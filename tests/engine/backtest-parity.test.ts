// The engine (core, executor, paper exchange, strategy, risk) against the benchmark's hand-written loop of the same
// rules: on real candles they must produce the same trades, so neither the bench baseline nor the engine can drift.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type BotConfig, type Trade } from '../../src-shared/contract';
import { runBacktest } from '../../src-main/engine/backtest/backtest';
import { paperMarketRules } from '../../src-main/engine/market/precision';
import { entryAmount } from '../../src-main/engine/risk/risk';
import { handLoopFor } from '../../bench/hand-loop';
import { repeatedSeries } from '../../bench/series';
import { expectClose } from '../helpers/money';

/** the engine's trades against the hand loop's on 100,000 real candles under `config`; returns the engine's */
async function expectAgreement(config: BotConfig): Promise<Trade[]> {
  const series = repeatedSeries(100_000);
  const hand = handLoopFor(series, config);
  const engine = await runBacktest({ series, config });
  const order = (a: Trade, b: Trade) => a.entry_time - b.entry_time || a.exit_time - b.exit_time;
  const h = [...hand.trades].sort(order);
  const e = [...engine.trades].sort(order);
  expect(e.length).toBe(h.length);
  expect(e.length).toBeGreaterThan(1000);
  for (let i = 0; i < h.length; i++) {
    expect([e[i].entry_time, e[i].exit_time, e[i].exit_reason], `trade ${i}`).toEqual([h[i].entry_time, h[i].exit_time, h[i].exit_reason]);
    expectClose(e[i].amount, h[i].amount);
    expectClose(e[i].entry_price, h[i].entry_price);
    expectClose(e[i].exit_price, h[i].exit_price);
    expectClose(e[i].pnl, h[i].pnl);
  }
  return e;
}

describe('engine and hand-written loop agree', () => {
  it('trade for trade over 100,000 real candles (ema_cross, fees, slippage, SL/TP, market minimums)', async () => {
    const trades = await expectAgreement({ ...DEFAULT_CONFIG, max_daily_loss_pct: 0 });
    expect(trades.some((t) => t.exit_reason === 'trailing_stop')).toBe(false);
  }, 60_000);

  it('with a trailing stop too (trailing_stop_pct 1, from 0.5 % profit on): moved stops, sales at the close, trailing_stop exits', async () => {
    const trades = await expectAgreement({ ...DEFAULT_CONFIG, max_daily_loss_pct: 0, trailing_stop_pct: 1, trailing_activation_pct: 0.5 });
    const reasons = new Set(trades.map((t) => t.exit_reason));
    expect([...reasons].sort()).toEqual(['signal', 'stop_loss', 'take_profit', 'trailing_stop']);
  }, 60_000);
});

describe('entry sizing', () => {
  const rules = paperMarketRules('XRP/USDT', 1.2);
  const base = {
    equity: 10_000,
    freeCash: 10_000,
    price: 1.2,
    positionSizePct: 20,
    feePct: 0.1,
    slippagePct: 0.05,
    stopLossPct: 1.5,
    rules,
  };

  it('sizes by equity, rounded down to the amount step', () => {
    const a = entryAmount(base);
    expect(a).toBeLessThanOrEqual((10_000 * 0.2) / 1.2);
    expect(Math.abs(a / rules.amountStep - Math.round(a / rules.amountStep))).toBeLessThan(1e-6);
  });

  it('caps by free cash after slippage and fees', () => {
    const a = entryAmount({ ...base, freeCash: 100 });
    expect(a * 1.2 * 1.0005 * 1.001).toBeLessThanOrEqual(100);
  });

  it('refuses an entry whose protective stop would be under the market minimum notional', () => {
    // 1.0 quote of entry is enough on its own, but its stop 1.5 % lower would be a 0.985 order: refused
    const tiny = { ...base, equity: (1.0 / 0.2) * 1.0001, freeCash: 1000 };
    expect(tiny.equity * 0.2).toBeGreaterThanOrEqual(rules.minNotional);
    expect(entryAmount(tiny)).toBe(0);
    expect(entryAmount({ ...tiny, equity: tiny.equity * 1.1 })).toBeGreaterThan(0);
  });
});
