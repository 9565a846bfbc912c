/**
 * A sweep's runs as the results table and heat map show them: ranked by any metric of either sample (in-sample, where
 * parameters were picked; out-of-sample, where they are shown again: docs/contract.md §11), and laid on a grid when
 * exactly two keys vary. Pure, so it is tested under Node.
 */

/** the figures of one run on one part of the range (the Stats of the backtest) */
export interface RunStats {
  start_equity: number;
  equity: number;
  realized_pnl?: number;
  max_drawdown_pct: number;
  profit_factor: number | null;
  win_rate: number;
  trades_count: number;
}

export interface SweepRun {
  params: Record<string, unknown>;
  in_sample: RunStats;
  out_of_sample: RunStats | null;
}

export const SAMPLES = ['in_sample', 'out_of_sample'] as const;
export type Sample = (typeof SAMPLES)[number];

export const METRICS = ['profit', 'drawdown', 'profit_factor', 'win_rate', 'trades'] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_LABELS: Record<Metric, string> = {
  profit: 'Profit %',
  drawdown: 'Max DD %',
  profit_factor: 'PF',
  win_rate: 'Win %',
  trades: 'Trades',
};

/** which way is better: a smaller drawdown, a larger everything else */
const HIGHER_IS_BETTER: Record<Metric, boolean> = { profit: true, drawdown: false, profit_factor: true, win_rate: true, trades: true };

/** profit as % of the start: the in-sample and out-of-sample parts differ in length, so money alone would mislead */
export function profitPct(s: RunStats): number {
  return s.start_equity > 0 ? ((s.equity - s.start_equity) / s.start_equity) * 100 : 0;
}

export function metricOf(s: RunStats | null | undefined, metric: Metric): number | null {
  if (!s) return null;
  switch (metric) {
    case 'profit':
      return profitPct(s);
    case 'drawdown':
      return s.max_drawdown_pct;
    case 'profit_factor':
      // no losing trade: unbounded; shown as ∞, ranked above any finite factor
      return s.profit_factor === null ? (s.trades_count > 0 ? Infinity : null) : s.profit_factor;
    case 'win_rate':
      return s.win_rate * 100;
    case 'trades':
      return s.trades_count;
  }
}

export interface SortKey {
  sample: Sample;
  metric: Metric;
  /** best first (the default), or worst first */
  bestFirst: boolean;
}

/** runs best first by one metric of one sample; a run without that figure sinks to the end; ties keep their order */
export function sortRuns<R extends SweepRun>(runs: readonly R[], key: SortKey): R[] {
  const sign = HIGHER_IS_BETTER[key.metric] === key.bestFirst ? -1 : 1;
  return runs
    .map((run, i) => ({ run, i, v: metricOf(run[key.sample], key.metric) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === null ? (b.v === null ? a.i - b.i : 1) : -1;
      if (a.v === b.v) return a.i - b.i;
      return a.v < b.v ? -sign : sign;
    })
    .map((x) => x.run);
}

/** the next sort after a click on a column: the same column flips, another starts best first */
export function nextSort(current: SortKey, sample: Sample, metric: Metric): SortKey {
  if (current.sample === sample && current.metric === metric) return { ...current, bestFirst: !current.bestFirst };
  return { sample, metric, bestFirst: true };
}

/** the keys a sweep varied, in the order of its first run */
export function variedKeys(runs: readonly SweepRun[]): string[] {
  return runs.length ? Object.keys(runs[0].params) : [];
}

export interface HeatAxis {
  /** label of each column / row */
  labels: string[];
  /** which bin a value falls in */
  binOf(value: number): number;
}

/** Distinct values as they are, or equal-width bins once there are more than `maxBins` (a cell then holds their mean). */
export function heatAxis(values: readonly number[], maxBins: number): HeatAxis {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= maxBins) {
    const index = new Map(distinct.map((v, i) => [v, i]));
    return { labels: distinct.map((v) => String(v)), binOf: (v) => index.get(v) ?? -1 };
  }
  const lo = distinct[0];
  const width = (distinct[distinct.length - 1] - lo) / maxBins;
  const labels = Array.from({ length: maxBins }, (_, i) => `${round(lo + i * width)}–${round(lo + (i + 1) * width)}`);
  return { labels, binOf: (v) => Math.min(maxBins - 1, Math.max(0, Math.floor((v - lo) / width))) };
}

const round = (n: number) => Number(n.toPrecision(4));

export interface HeatMap {
  x: HeatAxis;
  y: HeatAxis;
  /** cells[row][column]: the mean of the metric over the runs in that cell, null where none ran */
  cells: (number | null)[][];
  /** runs per cell */
  counts: number[][];
  min: number | null;
  max: number | null;
}

/** Two varied keys → a grid of one metric (rows: yKey, columns: xKey). Runs whose key is not a number are left out. */
export function heatMap(runs: readonly SweepRun[], xKey: string, yKey: string, sample: Sample, metric: Metric, maxBins = 12): HeatMap {
  const usable = runs.filter((r) => typeof r.params[xKey] === 'number' && typeof r.params[yKey] === 'number');
  const x = heatAxis(
    usable.map((r) => r.params[xKey] as number),
    maxBins,
  );
  const y = heatAxis(
    usable.map((r) => r.params[yKey] as number),
    maxBins,
  );
  const sums = y.labels.map(() => x.labels.map(() => 0));
  const counts = y.labels.map(() => x.labels.map(() => 0));
  for (const r of usable) {
    const v = metricOf(r[sample], metric);
    if (v === null || !Number.isFinite(v)) continue;
    const [row, col] = [y.binOf(r.params[yKey] as number), x.binOf(r.params[xKey] as number)];
    sums[row][col] += v;
    counts[row][col]++;
  }
  let min: number | null = null;
  let max: number | null = null;
  const cells = sums.map((row, i) =>
    row.map((sum, j) => {
      if (!counts[i][j]) return null;
      const mean = sum / counts[i][j];
      min = min === null ? mean : Math.min(min, mean);
      max = max === null ? mean : Math.max(max, mean);
      return mean;
    }),
  );
  return { x, y, cells, counts, min, max };
}

/**
 * A cell's colour: profit diverges around 0 (red loss, green gain, strength by the largest magnitude); the other metrics
 * run from dim to bright in their better direction. Colours are the dashboard's up/down/accent.
 */
export function heatColor(value: number | null, map: Pick<HeatMap, 'min' | 'max'>, metric: Metric): string {
  if (value === null || map.min === null || map.max === null) return 'transparent';
  if (metric === 'profit') {
    const scale = Math.max(Math.abs(map.min), Math.abs(map.max)) || 1;
    const t = Math.min(1, Math.abs(value) / scale);
    return value >= 0 ? `rgba(31,191,117,${(0.12 + 0.78 * t).toFixed(3)})` : `rgba(240,72,90,${(0.12 + 0.78 * t).toFixed(3)})`;
  }
  const span = map.max - map.min;
  let t = span > 0 ? (value - map.min) / span : 1;
  if (!HIGHER_IS_BETTER[metric]) t = 1 - t;
  return `rgba(74,163,255,${(0.12 + 0.78 * t).toFixed(3)})`;
}
