// The lab's sweep logic under Node: the form's values → `vary` with every mistake named by its field, and the results
// ranked and gridded as the table and heat map show them. (The view itself is exercised in Chromium by tests/e2e/lab.test.ts.)
import { describe, expect, it } from 'vitest';
import { checkVary, expandRange, parseValueList, rangeCount, type VaryRow } from '../../src-renderer/src/features/lab/sweep-input';
import {
  heatAxis,
  heatColor,
  heatMap,
  metricOf,
  nextSort,
  profitPct,
  sortRuns,
  type RunStats,
  type SweepRun,
} from '../../src-renderer/src/features/lab/sweep-results';

const row = (key: string, o: Partial<VaryRow>): VaryRow => ({ key, mode: 'list', list: '', from: '', to: '', step: '', ...o });

const stats = (profit: number, o: Partial<RunStats> = {}): RunStats => ({
  start_equity: 10_000,
  equity: 10_000 + profit,
  max_drawdown_pct: 5,
  profit_factor: 1.2,
  win_rate: 0.5,
  trades_count: 10,
  ...o,
});
const run = (params: Record<string, unknown>, inSample: RunStats, outOfSample: RunStats | null = null): SweepRun => ({
  params,
  in_sample: inSample,
  out_of_sample: outOfSample,
});

describe('sweep form input', () => {
  it('reads a list of values in any separator, drops repeats, and names the first item that is not a number', () => {
    expect(parseValueList('1, 1.5 2;2')).toEqual({ values: [1, 1.5, 2] });
    expect(parseValueList('1, two')).toEqual({ error: '"two" is not a number' });
    expect(parseValueList('  ')).toEqual({ error: 'give at least one value' });
  });

  it('counts and expands a range with both ends, forgiving float steps', () => {
    expect(rangeCount(1, 3, 0.5)).toBe(5);
    expect(expandRange(0.1, 0.5, 0.1)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(expandRange(5, 20, 5)).toEqual([5, 10, 15, 20]);
    expect(rangeCount(1, 2, 0.3)).toBe(4); // 1, 1.3, 1.6, 1.9
  });

  it('turns rows into vary and the number of runs it makes', () => {
    const r = checkVary([
      row('stop_loss_pct', { list: '1, 2, 3' }),
      row('strategy.params.fast', { mode: 'range', from: '5', to: '20', step: '5' }),
    ]);
    expect(r).toEqual({ ok: true, runs: 12, vary: { stop_loss_pct: [1, 2, 3], 'strategy.params.fast': { from: 5, to: 20, step: 5 } } });
  });

  it('names each bad field, refuses a fourth key, a key chosen twice and more than 10,000 runs', () => {
    const bad = checkVary([row('stop_loss_pct', { mode: 'range', from: 'x', to: '3', step: '0' })]);
    expect(bad).toMatchObject({ ok: false, errors: { 'vary.stop_loss_pct.from': 'must be a number' } });
    expect(checkVary([row('a', { mode: 'range', from: '1', to: '3', step: '0' })])).toMatchObject({
      errors: { 'vary.a.step': 'must be above 0' },
    });
    expect(checkVary([row('a', { mode: 'range', from: '4', to: '3', step: '1' })])).toMatchObject({
      errors: { 'vary.a.from': 'must not be after to' },
    });
    expect(checkVary(['a', 'b', 'c', 'd'].map((k) => row(k, { list: '1' })))).toMatchObject({
      errors: { vary: 'at most 3 keys vary at once' },
    });
    expect(checkVary([row('a', { list: '1' }), row('a', { list: '2' })])).toMatchObject({ errors: { 'vary.a': 'chosen twice' } });
    const huge = checkVary([
      row('a', { mode: 'range', from: '1', to: '200', step: '1' }),
      row('b', { mode: 'range', from: '1', to: '51', step: '1' }),
    ]);
    expect(huge).toMatchObject({ ok: false, runs: 10_200, errors: { vary: '10,200 runs is more than the 10,000 a sweep may make' } });
    expect(checkVary([])).toMatchObject({ ok: false, errors: { vary: 'choose at least one key to vary' } });
  });
});

describe('sweep results', () => {
  const runs = [
    run({ sl: 1 }, stats(300, { max_drawdown_pct: 9, profit_factor: 1.5, win_rate: 0.4, trades_count: 20 }), stats(-50)),
    run({ sl: 2 }, stats(500, { max_drawdown_pct: 4, profit_factor: null, win_rate: 0.7, trades_count: 3 }), stats(120)),
    run({ sl: 3 }, stats(-100, { max_drawdown_pct: 2, profit_factor: 0.8, win_rate: 0.3, trades_count: 12 }), null),
  ];
  const order = (rs: SweepRun[]) => rs.map((r) => r.params.sl);

  it('profit is a % of the start, so a short out-of-sample part compares with a long in-sample one', () => {
    expect(profitPct(stats(250))).toBeCloseTo(2.5, 12);
    expect(metricOf(stats(0, { win_rate: 0.25 }), 'win_rate')).toBe(25);
    // no losing trade: an unbounded profit factor ranks first; no trade at all has none
    expect(metricOf(stats(0, { profit_factor: null, trades_count: 2 }), 'profit_factor')).toBe(Infinity);
    expect(metricOf(stats(0, { profit_factor: null, trades_count: 0 }), 'profit_factor')).toBeNull();
  });

  it('sorts best first by any metric of either sample; the smallest drawdown is the best; missing figures sink', () => {
    expect(order(sortRuns(runs, { sample: 'in_sample', metric: 'profit', bestFirst: true }))).toEqual([2, 1, 3]);
    expect(order(sortRuns(runs, { sample: 'in_sample', metric: 'drawdown', bestFirst: true }))).toEqual([3, 2, 1]);
    expect(order(sortRuns(runs, { sample: 'in_sample', metric: 'profit_factor', bestFirst: true }))).toEqual([2, 1, 3]);
    expect(order(sortRuns(runs, { sample: 'in_sample', metric: 'win_rate', bestFirst: true }))).toEqual([2, 1, 3]);
    expect(order(sortRuns(runs, { sample: 'in_sample', metric: 'trades', bestFirst: true }))).toEqual([1, 3, 2]);
    expect(order(sortRuns(runs, { sample: 'out_of_sample', metric: 'profit', bestFirst: true }))).toEqual([2, 1, 3]);
    expect(order(sortRuns(runs, { sample: 'out_of_sample', metric: 'profit', bestFirst: false }))).toEqual([1, 2, 3]);
    expect(order(runs)).toEqual([1, 2, 3]); // the input is left as it was
  });

  it('a click on the sorted column flips it; another column starts best first', () => {
    const first = { sample: 'in_sample' as const, metric: 'profit' as const, bestFirst: true };
    expect(nextSort(first, 'in_sample', 'profit')).toEqual({ ...first, bestFirst: false });
    expect(nextSort({ ...first, bestFirst: false }, 'out_of_sample', 'profit')).toEqual({
      sample: 'out_of_sample',
      metric: 'profit',
      bestFirst: true,
    });
  });

  it('lays two keys on a grid: one cell per pair, null where nothing ran, colours by sign for profit', () => {
    const grid = [run({ fast: 5, sl: 1 }, stats(100)), run({ fast: 10, sl: 1 }, stats(-200)), run({ fast: 5, sl: 2 }, stats(300))];
    const map = heatMap(grid, 'fast', 'sl', 'in_sample', 'profit');
    expect(map.x.labels).toEqual(['5', '10']);
    expect(map.y.labels).toEqual(['1', '2']);
    expect(map.cells).toEqual([
      [1, -2],
      [3, null],
    ]);
    expect([map.min, map.max]).toEqual([-2, 3]);
    expect(heatColor(3, map, 'profit')).toBe('rgba(31,191,117,0.900)');
    expect(heatColor(-2, map, 'profit')).toMatch(/^rgba\(240,72,90,/);
    expect(heatColor(null, map, 'profit')).toBe('transparent');
    // a smaller drawdown is the brighter cell
    const dd = { min: 2, max: 8 };
    expect(heatColor(2, dd, 'drawdown')).toBe('rgba(74,163,255,0.900)');
    expect(heatColor(8, dd, 'drawdown')).toBe('rgba(74,163,255,0.120)');
  });

  it('bins an axis with more values than cells into equal widths; a cell holds the mean of its runs', () => {
    const axis = heatAxis([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3);
    expect(axis.labels).toHaveLength(3);
    expect(axis.labels).toEqual(['1–4', '4–7', '7–10']);
    expect([1, 3.9, 4, 7, 10].map((v) => axis.binOf(v))).toEqual([0, 0, 1, 2, 2]);
    const many = Array.from({ length: 30 }, (_, i) => run({ a: i, b: 0 }, stats(i * 10)));
    const map = heatMap(many, 'a', 'b', 'in_sample', 'profit', 10);
    expect(map.x.labels).toHaveLength(10);
    expect(map.counts[0].reduce((s, n) => s + n, 0)).toBe(30);
    // the first bin holds runs 0, 1, 2 (profits 0, 0.1, 0.2 %)
    expect(map.cells[0][0]).toBeCloseTo(0.1, 12);
  });
});
