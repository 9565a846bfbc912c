import { expect } from 'vitest';
import type { Stats, Trade } from '../../src-shared/contract';

/** relative closeness, as the money rule says: recomputed figures agree to 1e-9 */
export function expectClose(actual: number, expected: number, rel = 1e-9): void {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(rel);
}

/** Every trade obeys pnl = (exit − entry) × amount − fee, and the stats are the sums of the trades. */
export function expectStatsMatchTrades(stats: Stats, trades: readonly Trade[]): void {
  let realized = 0;
  let wins = 0;
  let grossWin = 0;
  let grossLoss = 0;
  for (const t of trades) {
    expectClose(t.pnl, (t.exit_price - t.entry_price) * t.amount - t.fee);
    expectClose(t.pnl_pct, (t.pnl / (t.entry_price * t.amount)) * 100);
    realized += t.pnl;
    if (t.pnl > 0) {
      wins++;
      grossWin += t.pnl;
    } else grossLoss -= t.pnl;
  }
  expectClose(stats.realized_pnl, realized);
  expect(stats.trades_count).toBe(trades.length);
  expect(stats.wins).toBe(wins);
  expect(stats.losses).toBe(trades.length - wins);
  expectClose(stats.win_rate, trades.length ? wins / trades.length : 0);
  if (grossLoss > 0) expectClose(stats.profit_factor as number, grossWin / grossLoss);
  expectClose(stats.equity, stats.start_equity + stats.realized_pnl + stats.unrealized_pnl + stats.net_cash_flow);
}

/** true when `x` is an integer multiple of `step` (within float noise) */
export const onStep = (x: number, step: number): boolean => Math.abs(x / step - Math.round(x / step)) < 1e-6;

/** every number anywhere in `value` is finite and no text reads NaN or Infinity (contract: no NaN in any answer or event) */
export function nonFinite(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (typeof value === 'string') return /NaN|Infinity/.test(value) ? [`${path}: ${value}`] : [];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}
