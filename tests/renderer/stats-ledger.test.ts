// The dashboard folds trade events into the stats it shows; folded figures must equal the server's own computation,
// and a snapshot that overtakes or trails the event stream must neither double count nor drop a trade.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Stats, type Trade } from '../../src-shared/contract';
import { runBacktest } from '../../src-main/engine/backtest/backtest';
import { computeStats } from '../../src-main/engine/stats';
import { foldTrade, mergeSnapshot } from '../../src-renderer/src/stores/stats-ledger';
import { loadXrp5m } from '../helpers/candles';
import { expectClose } from '../helpers/money';

const statsOf = (trades: readonly Trade[]): Stats =>
  computeStats({ trades, startEquity: 10_000, openPositions: [], maxDrawdownPct: 0, todayStart: 10_000, nowTs: 0, stakeCurrency: 'USDT' });

const TRADE_FIELDS = [
  'trades_count',
  'wins',
  'losses',
  'gross_profit',
  'gross_loss',
  'realized_pnl',
  'trade_fees',
  'win_rate',
  'profit_factor',
  'last_trade_id',
] as const;
function expectSameTradeFigures(a: Stats, b: Stats) {
  for (const k of TRADE_FIELDS) {
    if (typeof a[k] === 'number' && typeof b[k] === 'number') expectClose(a[k] as number, b[k] as number, 1e-9);
    else expect(a[k], k).toBe(b[k]);
  }
}

describe('stats folded from trade events', () => {
  it('equal the stats computed from the whole trade list after every trade of a real replay', async () => {
    const { trades } = await runBacktest({ series: loadXrp5m(), config: { ...DEFAULT_CONFIG, stop_loss_pct: 0.5, take_profit_pct: 0.6 } });
    expect(trades.length).toBeGreaterThan(20);
    let folded = statsOf([]);
    trades.forEach((t, i) => {
      folded = foldTrade(folded, t);
      expectSameTradeFigures(folded, statsOf(trades.slice(0, i + 1)));
    });
    expect(foldTrade(folded, trades[3])).toBe(folded); // a trade already included changes nothing
  });

  it('merge a snapshot that trails the stream, overtakes it, or matches it without double counting', async () => {
    const { trades } = await runBacktest({ series: loadXrp5m(), config: DEFAULT_CONFIG });
    const upTo = (n: number) => statsOf(trades.slice(0, n));
    const streamed = trades.slice(0, 8);
    const shown = streamed.reduce(foldTrade, upTo(2));
    // trailing: the answer was computed before trades 6..8 closed; their events are folded onto it
    expectSameTradeFigures(mergeSnapshot(shown, { ...upTo(5), max_drawdown_pct: 7 }, streamed), upTo(8));
    expect(mergeSnapshot(shown, { ...upTo(5), max_drawdown_pct: 7 }, streamed).max_drawdown_pct).toBe(7);
    // overtaking: the answer already has trade 9, whose event has not arrived; the panel keeps what the stream showed
    const ahead = mergeSnapshot(shown, { ...upTo(9), max_drawdown_pct: 9 }, streamed);
    expectSameTradeFigures(ahead, upTo(8));
    expect(ahead.max_drawdown_pct).toBe(9);
    // ... until the event comes
    expectSameTradeFigures(foldTrade(ahead, trades[8]), upTo(9));
    // first snapshot: events that came before it are folded only when it lacks them
    expectSameTradeFigures(mergeSnapshot(null, upTo(6), streamed), upTo(8));
  });
});
