// The lab's candle sets on a real SQLite file: gaps kept from each write agree with a scan of the candles, coverage
// tells a download what is still to fetch, and a sweep's plan refuses bad keys and too many runs before anything runs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLabDatabase } from '../../src-main/engine/lab/lab-database';
import { CandleStore, type CandleRow } from '../../src-main/engine/lab/candle-store';
import { addSpan, extendGaps, uncovered, type Run } from '../../src-main/engine/lab/gap-runs';
import { planSweep } from '../../src-main/engine/lab/sweep-plan';
import { EngineError } from '../../src-main/engine/errors';
import { DEFAULT_CONFIG } from '../../src-shared/contract';
import { ALT_1M } from '../helpers/candles';

const STEP = 60_000;

/** the oracle: runs of missing grid points between the first and the last point held */
function scanGaps(points: number[], step: number): Run[] {
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  const gaps: Run[] = [];
  for (let i = 1; i < sorted.length; i++) if (sorted[i] - sorted[i - 1] > step) gaps.push([sorted[i - 1] + step, sorted[i] - step]);
  return gaps;
}

describe('gap runs', () => {
  it('kept from writes in any order, they equal a scan of every candle held', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 40 }), { maxLength: 8 }), (writes) => {
        let extent = { first: null as number | null, last: null as number | null, gaps: [] as Run[] };
        const held: number[] = [];
        for (const w of writes) {
          const points = [...w].sort((a, b) => a - b).map((i) => i * STEP);
          extent = extendGaps(extent, points, STEP);
          held.push(...points);
        }
        expect(extent.gaps).toEqual(scanGaps(held, STEP));
        if (held.length) expect([extent.first, extent.last]).toEqual([Math.min(...held), Math.max(...held)]);
      }),
    );
  });

  it('uncovered is the range minus the spans; addSpan merges spans that touch', () => {
    const spans = addSpan(addSpan([], [10, 20], 1), [21, 30], 1);
    expect(spans).toEqual([[10, 30]]);
    expect(uncovered(0, 40, addSpan(spans, [35, 36], 1), 1)).toEqual([
      [0, 9],
      [31, 34],
      [37, 40],
    ]);
    expect(uncovered(12, 18, spans, 1)).toEqual([]);
  });
});

describe('candle store on SQLite', () => {
  it('keeps a real file with gaps, counts only new candles, and reports what a scan reports', () => {
    const rows = JSON.parse(readFileSync(ALT_1M, 'utf8')) as CandleRow[];
    const db = openLabDatabase(mkdtempSync(join(tmpdir(), 'botdesk-lab-')));
    const store = new CandleStore(db);
    const id = store.setId({ exchange: 'binance', symbol: 'ALT/BTC', timeframe: '1m' }, true);
    // written out of order, in pieces that overlap: the set ends up the file, once
    const pieces = [rows.slice(5000, 9000), rows.slice(0, 6000), rows.slice(8000)];
    const added = pieces.map((p) => store.write(id, p));
    expect(added.reduce((a, b) => a + b, 0)).toBe(rows.length);
    const set = store.set(id);
    expect(set.candles).toBe(rows.length);
    expect([set.from, set.to]).toEqual([rows[0][0], rows.at(-1)![0]]);
    expect(set.gaps.map((g) => [g.from, g.to])).toEqual(
      scanGaps(
        rows.map((r) => r[0]),
        STEP,
      ),
    );
    expect(set.gaps.length).toBeGreaterThan(0);
    const series = store.series(id, rows[100][0], rows[199][0]);
    expect(series.count).toBe(100);
    expect([...series.data.subarray(0, 6)]).toEqual([...rows[100]]);
    db.close();
  });
});

describe('sweep plan', () => {
  const base = DEFAULT_CONFIG;
  const fieldsOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      return { message: (e as EngineError).message, fields: (e as EngineError).fields ?? {} };
    }
    throw new Error('no error');
  };

  it('every combination of ranges and lists, with values on the step; cross-field refusals are skipped and listed', () => {
    const plan = planSweep(base, { stop_loss_pct: { from: 0.5, to: 1.5, step: 0.1 }, 'strategy.params.fast': [9, 25] });
    expect(plan.runs.length + plan.skipped.length).toBe(22);
    // on the step exactly (0.1 steps do not drift to 0.30000000000000004)
    expect(plan.runs.map((r) => r.params.stop_loss_pct)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5]);
    // fast 25 is not below slow 21: skipped, with the rule's words
    expect(plan.skipped).toHaveLength(11);
    expect(plan.skipped[0].reason).toMatch(/fast must be smaller than slow/);
    expect(
      plan.runs.every((r) => r.config.strategy.name === 'ema_cross' && (r.config.strategy.params as { fast: number }).fast === 9),
    ).toBe(true);
  });

  it('refuses a key that is not a config key, a parameter the strategy lacks, a value its field refuses, and over 10,000 runs', () => {
    expect(fieldsOf(() => planSweep(base, { leverage: [1, 2] })).fields).toHaveProperty(['vary.leverage']);
    expect(fieldsOf(() => planSweep(base, { 'strategy.params.period': [5] })).fields['vary.strategy.params.period']).toMatch(/ema_cross/);
    expect(fieldsOf(() => planSweep(base, { symbol: ['ETH/USDT'] })).fields).toHaveProperty(['vary.symbol']);
    expect(fieldsOf(() => planSweep(base, { stop_loss_pct: [1, 80] })).fields['vary.stop_loss_pct']).toMatch(/#1/);
    const big = fieldsOf(() =>
      planSweep(base, { stop_loss_pct: { from: 1, to: 10, step: 0.01 }, take_profit_pct: { from: 1, to: 20, step: 1 } }),
    );
    expect(big.message).toMatch(/18,020 runs/);
    expect(fieldsOf(() => planSweep(base, { stop_loss_pct: { from: 1, to: 50, step: 1e-9 } })).message).toMatch(/runs; the most is 10,000/);
  });
});
