// A kept range as chart bars (GET /history/candles): the candles as they are when they fit, else merged runs whose
// open, high, low, close and volume are the candles' own, on a fixed grid so a gap never shifts the bars after it.
import { describe, expect, it } from 'vitest';
import { CANDLE_STRIDE } from '../../src-main/engine/feeds/candle-file';
import { mergeBars } from '../../src-main/engine/lab/candle-bars';

const MIN = 60_000;
function series(rows: number[][]) {
  const data = new Float64Array(rows.length * CANDLE_STRIDE);
  rows.forEach((r, i) => data.set(r, i * CANDLE_STRIDE));
  return { data, count: rows.length };
}

describe('candle bars for a chart', () => {
  const rows = Array.from({ length: 10 }, (_, i) => [i * MIN, 10 + i, 12 + i + (i === 4 ? 5 : 0), 9 + i - (i === 7 ? 3 : 0), 11 + i, 1]);

  it('keeps the candles when they fit', () => {
    const r = mergeBars(series(rows), MIN, 10);
    expect(r.barMs).toBe(MIN);
    expect(r.candles).toHaveLength(10);
    expect(r.candles[3]).toEqual({ ts: 3 * MIN, open: 13, high: 15, low: 12, close: 14, volume: 1 });
  });

  it('merges runs of candles into at most maxBars bars: first open, highest high, lowest low, last close, summed volume', () => {
    const r = mergeBars(series(rows), MIN, 4); // 10 candles → groups of 3 → 4 bars
    expect(r.barMs).toBe(3 * MIN);
    expect(r.candles.map((c) => c.ts)).toEqual([0, 3 * MIN, 6 * MIN, 9 * MIN]);
    expect(r.candles[1]).toEqual({ ts: 3 * MIN, open: 13, high: 21, low: 12, close: 16, volume: 3 });
    expect(r.candles[2]).toEqual({ ts: 6 * MIN, open: 16, high: 20, low: 13, close: 19, volume: 3 });
    expect(r.candles[3]).toEqual({ ts: 9 * MIN, open: 19, high: 21, low: 18, close: 20, volume: 1 });
  });

  it('a gap leaves the bars after it on their grid', () => {
    const gappy = rows.filter((_, i) => i !== 3 && i !== 4 && i !== 5);
    const r = mergeBars(series(gappy), MIN, 3); // 7 candles → groups of 3
    expect(r.candles.map((c) => c.ts)).toEqual([0, 6 * MIN, 9 * MIN]);
  });
});
