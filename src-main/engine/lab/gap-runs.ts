/**
 * Gaps of a candle set as runs of missing open times on the timeframe's grid, kept up to date from each write
 * (the candles written, never a scan of the set): a set of millions of candles answers GET /history at once.
 */
export type Run = readonly [first: number, last: number];

/** the runs left of `run` once the (sorted, on-grid) `points` are taken out of it */
function withoutPoints(run: Run, points: readonly number[], step: number, from: number): { runs: Run[]; next: number } {
  const runs: Run[] = [];
  let start = run[0];
  let i = from;
  while (i < points.length && points[i] < run[0]) i++;
  for (; i < points.length && points[i] <= run[1]; i++) {
    if (points[i] > start) runs.push([start, points[i] - step]);
    start = points[i] + step;
  }
  if (start <= run[1]) runs.push([start, run[1]]);
  return { runs, next: i };
}

export interface SetExtent {
  first: number | null;
  last: number | null;
  gaps: Run[];
}

/**
 * The extent and gaps after `written` (sorted, on the grid) joined the set: old gaps lose the written points; a set
 * that grew gains the grid points between its old ends and the new ones that were not written.
 */
export function extendGaps(before: SetExtent, written: readonly number[], step: number): SetExtent {
  if (written.length === 0) return before;
  const lo = written[0];
  const hi = written[written.length - 1];
  if (before.first === null || before.last === null) {
    return { first: lo, last: hi, gaps: withoutPoints([lo, hi], written, step, 0).runs.filter((r) => r[0] <= r[1]) };
  }
  const first = Math.min(before.first, lo);
  const last = Math.max(before.last, hi);
  const candidates: Run[] = [];
  if (first < before.first) candidates.push([first, before.first - step]);
  candidates.push(...before.gaps);
  if (last > before.last) candidates.push([before.last + step, last]);
  const gaps: Run[] = [];
  let cursor = 0;
  for (const run of candidates) {
    const r = withoutPoints(run, written, step, cursor);
    cursor = Math.max(0, r.next - 1);
    gaps.push(...r.runs);
  }
  return { first, last, gaps };
}

/** the parts of [from, to] (on the grid) no span covers; spans sorted and not overlapping */
export function uncovered(from: number, to: number, spans: readonly Run[], step: number): Run[] {
  const out: Run[] = [];
  let cursor = from;
  for (const [a, b] of spans) {
    if (b < cursor) continue;
    if (a > to) break;
    if (a > cursor) out.push([cursor, Math.min(to, a - step)]);
    cursor = Math.max(cursor, b + step);
    if (cursor > to) break;
  }
  if (cursor <= to) out.push([cursor, to]);
  return out;
}

/** spans with one more, merged where they touch or overlap (on the grid) */
export function addSpan(spans: readonly Run[], span: Run, step: number): Run[] {
  const all = [...spans, span].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const prev = out[out.length - 1];
    if (prev && a <= prev[1] + step) prev[1] = Math.max(prev[1], b);
    else out.push([a, b]);
  }
  return out;
}
