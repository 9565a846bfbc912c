// A kept range as chart bars (GET /history/candles): the candles as they are when they fit, else merged runs whose
// open, high, low, close and volume are the candles' own, on the epoch's grid (as trade markers are bucketed) so a gap
// never shifts the bars after it, and never more bars than asked, however gappy the range.
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../src-shared/contract';
import { CANDLE_STRIDE } from '../../src-main/engine/feeds/candle-file';
import { mergeBars } from '../../src-main/engine/lab/candle-bars';

const MIN = 60_000;
function series(rows: number[][]) {
  const data = new Float64Array(rows.length * CANDLE_STRIDE);
  rows.forEach((r, i) => data.set(r, i * CANDLE_STRIDE));
  return { data, count: rows.length };
}
/** the reference: the rows whose open time falls in [ts, ts + barMs), merged by hand */
function bar(rows: number[][], ts: number, barMs: number): Candle {
  const inside = rows.filter((r) => r[0] >= ts && r[0] < ts + barMs);
  return {
    ts,
    open: inside[0][1],
    high: Math.max(...inside.map((r) => r[2])),
    low: Math.min(...inside.map((r) => r[3])),
    close: inside[inside.length - 1][4],
    volume: inside.reduce((s, r) => s + r[5], 0),
  };
}

describe('candle bars for a chart', () => {
  const rows = Array.from({ length: 10 }, (_, i) => [
    i * MIN,
    10 + i,
    12 + i + (i === 4 ? 5 : 0),
    9 + i - (i === 7 ? 3 : 0),
    11 + i,
    i + 1,
  ]);

  it('keeps the candles when they fit', () => {
    const r = mergeBars(series(rows), MIN, 10);
    expect(r.barMs).toBe(MIN);
    expect(r.candles.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume])).toEqual(rows);
  });

  it('merges runs of candles into at most maxBars bars: first open, highest high, lowest low, last close, summed volume', () => {
    const r = mergeBars(series(rows), MIN, 4);
    expect(r.candles.length).toBeLessThanOrEqual(4);
    expect(r.barMs % MIN).toBe(0);
    expect(r.candles).toEqual(r.candles.map((c) => bar(rows, c.ts, r.barMs)));
    expect(r.candles.reduce((s, c) => s + c.volume, 0)).toBe(55);
  });

  it('a gap leaves the bars after it on their grid and counts toward the bars it spans; never a bar more than asked', () => {
    const gappy = rows.filter((_, i) => i < 3 || i > 5);
    const r = mergeBars(series(gappy), MIN, 3);
    expect(r.candles.length).toBeLessThanOrEqual(3);
    expect(r.candles.every((c) => c.ts % r.barMs === 0)).toBe(true);
    expect(r.candles).toEqual(r.candles.map((c) => bar(gappy, c.ts, r.barMs)));
    for (const offset of [1, 3, 7]) {
      const late = rows.map((row) => [row[0] + offset * MIN, ...row.slice(1)]);
      expect(mergeBars(series(late), MIN, 4).candles.length).toBeLessThanOrEqual(4);
    }
    expect(mergeBars(series([]), MIN, 4)).toEqual({ barMs: MIN, candles: [] });
  });
});
