import type { SqlDatabase, SqlStatement } from './sql-driver';
import type { EquityPoint } from '../../../../src-shared/contract';
import {
  BucketFold,
  EQUITY_LEVEL_MS,
  PACKED_BYTES,
  PACKED_STRIDE,
  groupsFor,
  levelFor,
  packBucket,
  packedRun,
  pointsAsRun,
  thinBuckets,
  unpackBucket,
  type EquityBucket,
} from './equity-buckets';

/** a window of the curve as answered, with what it cost */
export interface EquityAnswer {
  points: EquityPoint[];
  /** rows the query read (per-candle rows or buckets): bounded whatever the history */
  rowsRead: number;
  /** -1 per-candle rows, else the bucket level that answered */
  level: number;
}

/** a window of the curve as GET /bot/equity asks for it */
export interface EquityWindow {
  from?: number;
  to?: number;
  limit: number;
}

/**
 * The equity curve's two tables: one point per candle, and the coarser buckets folded from them as they are written
 * (equity-buckets.ts), so that any window is answered from a bounded number of rows whatever the history.
 */
export class EquityCurveTables {
  private readonly stmt;
  private readonly fold: BucketFold;

  constructor(private readonly db: SqlDatabase) {
    this.stmt = {
      // the point's answer text written by SQLite with it (migration 9), in json_object's spelling as every read had it
      // (each value bound twice, as the columns store it: better-sqlite3 binds no numbered parameters, and a driver may
      // bind a whole ts as a double)
      insertPoint: db.prepare(
        `INSERT OR REPLACE INTO equity_points (ts, equity, point) VALUES (?, ?, json_object('ts', CAST(? AS INTEGER), 'equity', CAST(? AS REAL)))`,
      ),
      pointsJson: db.prepare(
        // the kept texts joined: the bytes json_group_array(json_object(…)) writes, without formatting a number (a
        // point without its text, which nothing writes, is written on the spot). Rows fed in ts order from the table's
        // own key (an aggregate ORDER BY would sort them again in a temp b-tree).
        `SELECT '[' || coalesce(group_concat(coalesce(point, json_object('ts', ts, 'equity', equity)), ','), '') || ']', max(abs(equity)) FROM (SELECT ts, equity, point FROM equity_points WHERE ts >= ? AND ts <= ? ORDER BY ts)`,
        { rows: 'arrays' },
      ),
      saveBucket: db.prepare(`INSERT OR REPLACE INTO equity_buckets (level, start, packed) VALUES (?, ?, ?)`),
      newestBucket: db.prepare(`SELECT start, packed FROM equity_buckets WHERE level = ? ORDER BY start DESC LIMIT 1`, { rows: 'arrays' }),
      // a window's buckets as ONE value, their blobs back to back (group_concat copies a blob's bytes as they are; the
      // cast gives them back as a blob): building a row per bucket cost ~10 times as much as the query (docs/benchmarks.md
      // cold-reads). Rows fed in start order from the key, as for pointsJson.
      buckets: db.prepare(
        `SELECT CAST(group_concat(packed, '') AS BLOB), count(*) FROM (SELECT packed FROM equity_buckets WHERE level = ? AND start >= ? AND start <= ? ORDER BY start)`,
        { rows: 'arrays' },
      ),
      // the same blobs one row each: the way the window is read should a driver's SQLite not join blobs byte for byte
      bucketBlobs: db.prepare(`SELECT packed FROM equity_buckets WHERE level = ? AND start >= ? AND start <= ? ORDER BY start`, {
        rows: 'values',
      }),
      pointRows: db.prepare(`SELECT ts, equity FROM equity_points WHERE ts >= ? AND ts <= ? ORDER BY ts`, { rows: 'arrays' }),
      // max of the rowid: one step down the b-tree (null on an empty curve)
      lastPoint: db.prepare(`SELECT max(ts) AS ts FROM equity_points`),
      // the curve's first and last ts, and the ts of the (limit+1)-th point from `from` (whether more than `limit`
      // points fall in a window), in one statement: each statement run costs as much as these three lookups
      bounds: db.prepare(
        `SELECT (SELECT min(ts) FROM equity_points), (SELECT max(ts) FROM equity_points), (SELECT ts FROM equity_points WHERE ts >= ? ORDER BY ts LIMIT 1 OFFSET ?)`,
        { rows: 'arrays' },
      ),
      points: db.prepare(`SELECT ts, equity FROM equity_points WHERE ts >= ? AND ts <= ? ORDER BY ts`),
    };
    this.fold = new BucketFold(this.newestBuckets());
  }

  /** Per-candle points and the buckets they change; call inside a transaction (forgetUnwritten if it rolls back). */
  append(points: readonly EquityPoint[]): void {
    for (const p of points) {
      this.stmt.insertPoint.run(p.ts, p.equity, p.ts, p.equity);
      this.fold.add(p.ts, p.equity);
    }
    for (const b of this.fold.takeChanged()) this.saveBucket(b);
  }

  /** the transaction that held the last append rolled back: the fold starts again from what the table holds */
  forgetUnwritten(): void {
    this.fold.reset(this.newestBuckets());
  }

  /**
   * At most `limit` points of [from, to], oldest first: every per-candle point when they fit, else the window cut
   * into time groups, each giving its lowest and highest point, read from the coarsest copy that still has a few
   * buckets per group (at most four per group, plus the edges).
   */
  query(q: EquityWindow): EquityAnswer {
    const w = this.clipped(q);
    if (w === null) return { points: [], rowsRead: 0, level: -1 };
    if (w.perCandle) {
      const points = this.stmt.points.all(w.from, w.to) as EquityPoint[];
      return { points, rowsRead: points.length, level: -1 };
    }
    return this.thinned(w, q.limit);
  }

  /**
   * query's points as the API's JSON text when they are per-candle points, written by SQLite as it reads them
   * (no value crosses into JavaScript one by one; its numbers parse to the very same doubles, in SQLite's spelling:
   * 100.0 for 100), else the thinned points for the caller to write. A value the schema refuses (an infinite equity)
   * hands the points to the caller's writer, which refuses them as the API does.
   */
  queryJson(q: EquityWindow): string | EquityPoint[] {
    const w = this.clipped(q);
    if (w === null) return '[]';
    if (!w.perCandle) return this.thinned(w, q.limit).points;
    const [json, top] = this.stmt.pointsJson.get(w.from, w.to) as [string, number | null];
    return top === null || Number.isFinite(top) ? json : (this.stmt.points.all(w.from, w.to) as EquityPoint[]);
  }

  /** the window clipped to the curve, and whether its per-candle points fit in `limit`; null when nothing is in it */
  private clipped(q: EquityWindow): { from: number; to: number; perCandle: boolean } | null {
    // points from q.from are the points from the clipped `from`: the curve has none before its first
    const [first, last, beyond] = this.stmt.bounds.get(q.from ?? Number.MIN_SAFE_INTEGER, q.limit) as [
      number | null,
      number | null,
      number | null,
    ];
    if (first === null || last === null) return null;
    const from = Math.max(q.from ?? first, first);
    const to = Math.min(q.to ?? last, last);
    if (from > to) return null;
    return { from, to, perCandle: beyond === null || beyond > to };
  }

  private thinned({ from, to }: { from: number; to: number }, limit: number): EquityAnswer {
    const level = levelFor(to - from + 1, groupsFor(limit));
    if (level < 0) {
      const points = this.stmt.pointRows.all(from, to) as [number, number][];
      return { points: thinBuckets(pointsAsRun(points), { from, to, limit, bucketMs: 0 }), rowsRead: points.length, level };
    }
    const width = EQUITY_LEVEL_MS[level];
    const run = this.bucketRun(level, Math.floor(from / width) * width, to);
    return { points: thinBuckets(run, { from, to, limit, bucketMs: width }), rowsRead: run.length / PACKED_STRIDE, level };
  }

  /** the buckets of a level whose start is in [start, to], oldest first, as one packed run */
  private bucketRun(level: number, start: number, to: number): Float64Array {
    const [joined, count] = this.stmt.buckets.get(level, start, to) as [Uint8Array | null, number];
    if (count === 0) return new Float64Array(0);
    if (joined !== null && joined.byteLength === count * PACKED_BYTES) return packedRun(joined);
    const blobs = this.stmt.bucketBlobs.all(level, start, to) as Uint8Array[];
    const bytes = new Uint8Array(blobs.length * PACKED_BYTES);
    blobs.forEach((b, i) => bytes.set(b, i * PACKED_BYTES));
    return packedRun(bytes);
  }

  private saveBucket(b: EquityBucket): void {
    this.stmt.saveBucket.run(b.level, b.start, packBucket(b));
  }

  private newestBuckets(): (EquityBucket | null)[] {
    return EQUITY_LEVEL_MS.map((_, level) => {
      const row = this.stmt.newestBucket.get(level) as [number, Uint8Array] | undefined;
      return row ? unpackBucket(level, row[0], row[1]) : null;
    });
  }

  /** the statements a request runs, by name (HistoryTables.readPlans checks each searches an index) */
  readStatements(): Record<string, SqlStatement> {
    const { buckets, bucketBlobs, pointRows, pointsJson, bounds } = this.stmt;
    return { buckets, bucketBlobs, pointRows, pointsJson, bounds };
  }

  /** the start-up check's part: rebuilds the buckets when the newest of a level disagrees with the newest point */
  repairBuckets(): boolean {
    const lastTs = (this.stmt.lastPoint.get() as { ts: number | null }).ts;
    const stale = this.newestBuckets().some((b) => (b?.last_ts ?? null) !== lastTs);
    if (stale) this.rebuildBuckets();
    return stale;
  }

  private rebuildBuckets(): void {
    this.db.prepare(`DELETE FROM equity_buckets`).run();
    this.fold.reset([]);
    // in slices, writing as the fold moves on: memory stays flat over a long history
    const slice = this.db.prepare(`SELECT ts, equity FROM equity_points WHERE ts > ? ORDER BY ts LIMIT 50000`);
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const points = slice.all(after) as EquityPoint[];
      if (!points.length) break;
      for (const p of points) this.fold.add(p.ts, p.equity);
      for (const b of this.fold.takeChanged()) this.saveBucket(b);
      after = points[points.length - 1].ts;
    }
  }
}
