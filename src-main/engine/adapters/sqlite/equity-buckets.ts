import type { EquityPoint } from '../../../../src-shared/contract';

/**
 * Bucket widths of the coarser copies of the equity curve, each four times the one before (4 minutes to 45 days).
 * Any zoom finds a level with between one and four buckets per point it is asked for, so a query reads a bounded
 * number of rows whatever the span; min and max per bucket keep every drawdown visible at every zoom.
 */
export const EQUITY_LEVEL_MS: readonly number[] = [4, 16, 64, 256, 1024, 4096, 16384, 65536].map((m) => m * 60_000);

export interface EquityBucket {
  level: number;
  start: number;
  min_ts: number;
  min_equity: number;
  max_ts: number;
  max_equity: number;
  last_ts: number;
  last_equity: number;
}

const bucketStart = (ts: number, width: number) => Math.floor(ts / width) * width;

/**
 * Folds equity points into the newest bucket of every level as they are written. Holds one bucket per level (the
 * newest) and the set changed since the last `takeChanged`, which the store writes in the points' transaction.
 */
export class BucketFold {
  private readonly newest: (EquityBucket | null)[];
  private readonly changed = new Set<EquityBucket>();

  constructor(newest: readonly (EquityBucket | null)[] = []) {
    this.newest = EQUITY_LEVEL_MS.map((_, level) => newest[level] ?? null);
  }

  add(ts: number, equity: number): void {
    for (let level = 0; level < EQUITY_LEVEL_MS.length; level++) {
      const start = bucketStart(ts, EQUITY_LEVEL_MS[level]);
      let b = this.newest[level];
      if (b === null || start > b.start) {
        b = { level, start, min_ts: ts, min_equity: equity, max_ts: ts, max_equity: equity, last_ts: ts, last_equity: equity };
        this.newest[level] = b;
      } else if (start < b.start) {
        continue; // a point older than the newest bucket (a replayed candle): the per-candle row has it
      } else {
        if (equity < b.min_equity) {
          b.min_equity = equity;
          b.min_ts = ts;
        }
        if (equity > b.max_equity) {
          b.max_equity = equity;
          b.max_ts = ts;
        }
        if (ts >= b.last_ts) {
          b.last_equity = equity;
          b.last_ts = ts;
        }
      }
      this.changed.add(b);
    }
  }

  newestAt(level: number): EquityBucket | null {
    return this.newest[level];
  }

  /** buckets changed since the last call; a written bucket stays the newest until a later point opens the next */
  takeChanged(): EquityBucket[] {
    const out = [...this.changed];
    this.changed.clear();
    return out;
  }

  /** forget unwritten changes (their transaction rolled back): the caller reloads the newest buckets */
  reset(newest: readonly (EquityBucket | null)[]): void {
    this.changed.clear();
    for (let level = 0; level < EQUITY_LEVEL_MS.length; level++) this.newest[level] = newest[level] ?? null;
  }
}

/**
 * Which copy answers a window: the coarsest level whose buckets are no wider than the window split into `groups`,
 * or -1 (the per-candle rows) when even the finest is too wide.
 */
export function levelFor(spanMs: number, groups: number): number {
  const width = spanMs / groups;
  let level = -1;
  for (let l = 0; l < EQUITY_LEVEL_MS.length && EQUITY_LEVEL_MS[l] <= width; l++) level = l;
  return level;
}

/** How many time groups a `limit` allows: each gives its lowest and highest point, the last also the newest point. */
export const groupsFor = (limit: number): number => Math.max(1, Math.floor((limit - 1) / 2));

/** Figures of a bucket in its stored blob, in this order (its start follows from min_ts and the level's width). */
const PACKED_FIELDS = ['min_ts', 'min_equity', 'max_ts', 'max_equity', 'last_ts', 'last_equity'] as const;
/** numbers per bucket in a packed run of buckets */
export const PACKED_STRIDE = PACKED_FIELDS.length;
/** bytes of one bucket's blob: six little-endian doubles (every ts is an integer below 2^53, so exact as a double) */
export const PACKED_BYTES = PACKED_STRIDE * 8;

/** a bucket's six figures as its stored blob */
export function packBucket(b: EquityBucket): Uint8Array {
  const bytes = new Uint8Array(PACKED_BYTES);
  const view = new DataView(bytes.buffer);
  PACKED_FIELDS.forEach((f, i) => view.setFloat64(i * 8, b[f], true));
  return bytes;
}

export function unpackBucket(level: number, start: number, bytes: Uint8Array): EquityBucket {
  const [min_ts, min_equity, max_ts, max_equity, last_ts, last_equity] = packedRun(bytes);
  return { level, start, min_ts, min_equity, max_ts, max_equity, last_ts, last_equity };
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Buckets stored back to back (one blob per bucket, read as one value per window) as numbers, PACKED_STRIDE per
 * bucket: a view on the bytes where it can be (a little-endian machine, aligned bytes), else a copy.
 */
export function packedRun(bytes: Uint8Array): Float64Array {
  if (bytes.byteLength % PACKED_BYTES !== 0) throw new Error(`equity buckets: ${bytes.byteLength} bytes is no whole number of buckets`);
  if (littleEndian && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: bytes.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

/**
 * Thins buckets (a packed run, oldest first) covering [from, to] to at most `limit` points: the window is cut into
 * equal time groups, each gives its lowest and its highest point in time order, and the newest point closes the
 * curve. Only points inside the window are emitted (a bucket cut by the window's edge stands in with its last point
 * inside). `bucketMs`: the width of the level the buckets come from (their start is min_ts rounded down to it), or 0
 * for per-candle points seen as one-point buckets.
 */
export function thinBuckets(run: Float64Array, q: { from: number; to: number; limit: number; bucketMs: number }): EquityPoint[] {
  const groups = groupsFor(q.limit);
  const width = (q.to - q.from + 1) / groups;
  const inside = (ts: number) => ts >= q.from && ts <= q.to;
  const out: EquityPoint[] = [];
  let group = -1;
  let lo: EquityPoint | null = null;
  let hi: EquityPoint | null = null;
  let last: EquityPoint | null = null;
  const flush = () => {
    if (lo && hi) {
      if (lo.ts === hi.ts) out.push(lo);
      else if (lo.ts < hi.ts) out.push(lo, hi);
      else out.push(hi, lo);
    }
    lo = hi = null;
  };
  for (let i = 0; i < run.length; i += PACKED_STRIDE) {
    const minTs = run[i];
    const minEquity = run[i + 1];
    const maxTs = run[i + 2];
    const maxEquity = run[i + 3];
    const lastTs = run[i + 4];
    const lastEquity = run[i + 5];
    const start = q.bucketMs > 0 ? bucketStart(minTs, q.bucketMs) : minTs;
    const g = Math.min(groups - 1, Math.max(0, Math.floor((start - q.from) / width)));
    if (g !== group) {
      flush();
      group = g;
    }
    const lastInside = inside(lastTs);
    if (lastInside) last = { ts: lastTs, equity: lastEquity };
    if (inside(minTs)) {
      if (lo === null || minEquity < lo.equity) lo = { ts: minTs, equity: minEquity };
    } else if (lastInside && (lo === null || lastEquity < lo.equity)) lo = last;
    if (inside(maxTs)) {
      if (hi === null || maxEquity > hi.equity) hi = { ts: maxTs, equity: maxEquity };
    } else if (lastInside && (hi === null || lastEquity > hi.equity)) hi = last;
  }
  flush();
  const newest = last as EquityPoint | null;
  if (newest && (out.length === 0 || out[out.length - 1].ts < newest.ts)) out.push(newest);
  return out.length > q.limit ? out.slice(-q.limit) : out;
}

/** per-candle rows ([ts, equity], oldest first) as a packed run of one-point buckets, so one thinning serves both */
export function pointsAsRun(points: readonly (readonly [number, number])[]): Float64Array {
  const run = new Float64Array(points.length * PACKED_STRIDE);
  points.forEach(([ts, equity], i) => run.set([ts, equity, ts, equity, ts, equity], i * PACKED_STRIDE));
  return run;
}
