// The thinned equity window read as one packed value per window (equity-buckets.ts) gives exactly what reading the
// buckets row by row gave: a reference here folds the same points into buckets and thins them one row at a time, as
// the store did before, and every window (bucket edges, empty ranges, the last partial bucket, ties) must agree to
// the bit, through both the handler's path and the JSON path.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EquityPoint } from '../../src-shared/contract';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { openDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import { BucketFold, EQUITY_LEVEL_MS, groupsFor, levelFor, type EquityBucket } from '../../src-main/engine/adapters/sqlite/equity-buckets';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 2, 1, 0, 3);

/** five-minute points with flat stretches (no position open: equal values, the ties the thinning must break alike) */
function curve(n: number): EquityPoint[] {
  let seed = 7;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const out: EquityPoint[] = [];
  let e = 1_000;
  for (let i = 0; i < n; i++) {
    if (rand() < 0.6) e = Math.round(e * (1 + (rand() - 0.5) * 0.01) * 100) / 100;
    out.push({ ts: T0 + i * 5 * MINUTE, equity: e });
  }
  return out;
}

/** the buckets of every level, as the write path folds them */
function bucketsOf(points: readonly EquityPoint[]): EquityBucket[][] {
  const levels: EquityBucket[][] = EQUITY_LEVEL_MS.map(() => []);
  const fold = new BucketFold();
  for (const p of points) {
    fold.add(p.ts, p.equity);
    for (const b of fold.takeChanged()) {
      const list = levels[b.level];
      if (list.at(-1) !== b) list.push(b);
    }
  }
  return levels;
}

/** the thinning as it ran over one row per bucket: the rule the packed run must keep */
function referenceThin(rows: readonly EquityBucket[], q: { from: number; to: number; limit: number }): EquityPoint[] {
  const groups = groupsFor(q.limit);
  const width = (q.to - q.from + 1) / groups;
  const inside = (ts: number) => ts >= q.from && ts <= q.to;
  const out: EquityPoint[] = [];
  let group = -1;
  let lo: EquityPoint | null = null;
  let hi: EquityPoint | null = null;
  let last: EquityPoint | null = null;
  const flush = () => {
    if (lo && hi) out.push(...(lo.ts === hi.ts ? [lo] : lo.ts < hi.ts ? [lo, hi] : [hi, lo]));
    lo = hi = null;
  };
  for (const r of rows) {
    const g = Math.min(groups - 1, Math.max(0, Math.floor((r.start - q.from) / width)));
    if (g !== group) {
      flush();
      group = g;
    }
    const lastInside = inside(r.last_ts);
    if (lastInside) last = { ts: r.last_ts, equity: r.last_equity };
    if (inside(r.min_ts)) {
      if (lo === null || r.min_equity < lo.equity) lo = { ts: r.min_ts, equity: r.min_equity };
    } else if (lastInside && (lo === null || r.last_equity < lo.equity)) lo = last;
    if (inside(r.max_ts)) {
      if (hi === null || r.max_equity > hi.equity) hi = { ts: r.max_ts, equity: r.max_equity };
    } else if (lastInside && (hi === null || r.last_equity > hi.equity)) hi = last;
  }
  flush();
  const newest = last as EquityPoint | null;
  if (newest && (out.length === 0 || out[out.length - 1].ts < newest.ts)) out.push(newest);
  return out.length > q.limit ? out.slice(-q.limit) : out;
}

describe('thinned equity windows read as one packed value', () => {
  const points = curve(40_000);
  const buckets = bucketsOf(points);
  const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'botdesk-thinning-')));
  for (let i = 0; i < points.length; i += 10_000) store.appendEquity(points.slice(i, i + 10_000));
  afterAll(() => {
    const file = store.db.path;
    store.close();
    rmSync(join(file, '..'), { recursive: true, force: true });
  });

  /** what the store must answer for [from, to] (already clipped to the curve, as the store clips it) */
  function expected(from: number, to: number, limit: number): EquityPoint[] {
    const inWindow = points.filter((p) => p.ts >= from && p.ts <= to);
    if (inWindow.length <= limit) return inWindow;
    const level = levelFor(to - from + 1, groupsFor(limit));
    const rows =
      level < 0
        ? inWindow.map((p) => ({
            level,
            start: p.ts,
            min_ts: p.ts,
            min_equity: p.equity,
            max_ts: p.ts,
            max_equity: p.equity,
            last_ts: p.ts,
            last_equity: p.equity,
          }))
        : buckets[level].filter((b) => b.start >= Math.floor(from / EQUITY_LEVEL_MS[level]) * EQUITY_LEVEL_MS[level] && b.start <= to);
    return referenceThin(rows, { from, to, limit });
  }

  const levelsSeen = new Set<number>();
  const check = (from: number, to: number, limit: number) => {
    const first = points[0].ts;
    const last = points.at(-1)!.ts;
    const [f, t] = [Math.max(from, first), Math.min(to, last)];
    const want = f > t ? [] : expected(f, t, limit);
    const label = JSON.stringify({ from, to, limit });
    const answer = store.queryEquity({ from, to, limit });
    if (answer.points.length) levelsSeen.add(answer.level);
    expect(answer.points, label).toEqual(want);
    const json = store.queryEquityJson({ from, to, limit });
    expect(typeof json === 'string' ? (JSON.parse(json) as EquityPoint[]) : json, label).toEqual(want);
  };

  it('agrees at bucket edges, on the last partial bucket and with empty ranges, at every level', () => {
    const first = points[0].ts;
    const last = points.at(-1)!.ts;
    for (const [level, width] of EQUITY_LEVEL_MS.entries()) {
      const edge = Math.floor((first + (last - first) / 3) / width) * width;
      for (const limit of [1, 2, 3, 7, 100, 500]) {
        // spans that pick this level for this limit, starting on, just before and just after a bucket edge
        const span = width * groupsFor(limit) * 2;
        for (const from of [edge - 1, edge, edge + 1]) {
          check(from, from + span - 1, limit);
          check(from, from + span, limit);
        }
        check(last - span, last, limit); // the newest bucket, still filling
        check(last - span, last + level * MINUTE, limit);
        check(first - 5 * MINUTE, first + span, limit); // before the first point
      }
    }
    check(last + 1, last + 10 * MINUTE, 500); // after the curve
    check(first - 10 * MINUTE, first - 1, 500); // before it
    check(first, first, 1);
    check(last, last, 1);
    // every level answered some window, and so did the per-candle rows
    expect([...levelsSeen].sort((a, b) => a - b)).toEqual([-1, ...EQUITY_LEVEL_MS.keys()]);
  });

  it('agrees on random windows and limits', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const first = points[0].ts;
    const span = points.at(-1)!.ts - first;
    for (let k = 0; k < 400; k++) {
      const from = first - span * 0.05 + Math.floor(rand() * span * 1.1);
      const to = from + Math.floor(rand() * span * [1, 0.1, 0.01, 0.002][k % 4]);
      check(from, to, [1, 2, 4, 50, 499, 500, 1000, 5000][k % 8]);
    }
  });

  it('a database from before the packed buckets gets them rebuilt by the start-up check, with the same answers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-thinning-v6-'));
    try {
      const old = new SqliteStore(dir);
      old.appendEquity(points.slice(0, 5_000));
      old.close();
      // schema 6: the bucket figures in columns of their own
      const db = openDatabase(join(dir, 'botdesk.sqlite'));
      db.exec(`DROP TABLE equity_buckets;
        CREATE TABLE equity_buckets (level INTEGER NOT NULL, start INTEGER NOT NULL, min_ts INTEGER NOT NULL, min_equity REAL NOT NULL,
          max_ts INTEGER NOT NULL, max_equity REAL NOT NULL, last_ts INTEGER NOT NULL, last_equity REAL NOT NULL,
          PRIMARY KEY (level, start)) WITHOUT ROWID;
        INSERT INTO equity_buckets VALUES (0, 0, 0, 1, 0, 1, 0, 1);
        ALTER TABLE equity_points DROP COLUMN point;`);
      db.pragma('user_version = 6');
      db.close();
      const reopened = new SqliteStore(dir);
      try {
        expect(reopened.verifyHistory().buckets).toBe(true);
        const [from, to] = [points[0].ts, points[4_999].ts];
        const older = bucketsOf(points.slice(0, 5_000));
        for (const limit of [1, 3, 100, 500])
          expect(reopened.queryEquity({ from, to, limit }).points).toEqual(
            referenceThin(older[levelFor(to - from + 1, groupsFor(limit))], { from, to, limit }),
          );
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
