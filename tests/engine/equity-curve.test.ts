// The equity curve at any zoom: at most `limit` points, read from a bounded number of rows, drawdowns kept visible.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EquityPoint } from '../../src-shared/contract';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { EQUITY_LEVEL_MS, groupsFor } from '../../src-main/engine/adapters/sqlite/equity-buckets';

const MINUTE = 60_000;
const T0 = Date.UTC(2023, 0, 1);

/** a random walk with one deep, short crash and one short spike, one point a minute */
function walk(n: number): EquityPoint[] {
  const out: EquityPoint[] = [];
  let e = 10_000;
  let seed = 42;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < n; i++) {
    e *= 1 + (rand() - 0.5) * 0.002;
    const crash = i === Math.floor(n * 0.37) ? 0.6 : i === Math.floor(n * 0.81) ? 1.5 : 1;
    out.push({ ts: T0 + i * MINUTE, equity: e * crash });
  }
  return out;
}

function filled(points: EquityPoint[]): SqliteStore {
  const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'botdesk-equity-')));
  for (let i = 0; i < points.length; i += 7_000) store.appendEquity(points.slice(i, i + 7_000));
  return store;
}

/** rows a query may read: up to four buckets per group (levels are 4× apart) plus the two cut by the edges */
const rowBound = (limit: number) => 4 * groupsFor(limit) + 2;

describe('equity curve', () => {
  const points = walk(200_000);
  const store = filled(points);
  const lowest = points.reduce((a, b) => (b.equity < a.equity ? b : a));
  const highest = points.reduce((a, b) => (b.equity > a.equity ? b : a));
  afterAll(() => {
    const file = store.db.path;
    store.close();
    rmSync(join(file, '..'), { recursive: true, force: true });
  });

  it('whole range: at most limit points, oldest first, the crash and the spike both shown, bounded rows read', () => {
    for (const limit of [3, 5, 50, 500, 5000]) {
      const a = store.queryEquity({ limit });
      expect(a.points.length).toBeLessThanOrEqual(limit);
      expect(a.points.length).toBeGreaterThanOrEqual(Math.min(limit, 3));
      expect(a.rowsRead).toBeLessThanOrEqual(rowBound(limit));
      for (let i = 1; i < a.points.length; i++) expect(a.points[i].ts).toBeGreaterThan(a.points[i - 1].ts);
      expect(a.points.at(-1)).toEqual(points.at(-1)); // the newest point closes the curve
      if (limit >= 5) {
        expect(a.points).toContainEqual(lowest);
        expect(a.points).toContainEqual(highest);
      }
    }
  });

  it('limit=1 and 2 are hard limits too', () => {
    expect(store.queryEquity({ limit: 1 }).points).toEqual([points.at(-1)]);
    expect(store.queryEquity({ limit: 2 }).points.length).toBeLessThanOrEqual(2);
  });

  it('a window: only its own points, its lowest and highest kept, rows bounded; every point when they fit', () => {
    const from = lowest.ts - 3 * 86_400_000;
    const to = lowest.ts + 2 * 86_400_000 + 17 * MINUTE;
    const a = store.queryEquity({ from, to, limit: 500 });
    expect(a.points.length).toBeLessThanOrEqual(500);
    expect(a.rowsRead).toBeLessThanOrEqual(rowBound(500));
    expect(a.points.every((p) => p.ts >= from && p.ts <= to)).toBe(true);
    expect(a.points).toContainEqual(lowest);
    const inside = points.filter((p) => p.ts >= from && p.ts <= to);
    expect(a.points).toContainEqual(inside.reduce((x, y) => (y.equity > x.equity ? y : x)));

    const small = store.queryEquity({ from: T0 + 100 * MINUTE, to: T0 + 399 * MINUTE, limit: 300 });
    expect(small.points).toEqual(points.slice(100, 400));
    expect(small.level).toBe(-1);
    expect(store.queryEquity({ from: T0 - 10 * MINUTE, to: T0 - MINUTE, limit: 10 }).points).toEqual([]);
  });

  it('buckets written as points arrive equal buckets rebuilt from the points in one pass', () => {
    const dump = (s: SqliteStore) => s.db.prepare(`SELECT * FROM equity_buckets ORDER BY level, start`).all();
    const incremental = dump(store);
    expect(incremental.length).toBeGreaterThan(200_000 / 4);
    const levels = new Set((incremental as { level: number }[]).map((b) => b.level));
    expect(levels.size).toBe(EQUITY_LEVEL_MS.length);
    store.db.prepare(`DELETE FROM equity_buckets`).run();
    expect(store.verifyHistory().buckets).toBe(true);
    expect(dump(store)).toEqual(incremental);
    expect(store.verifyHistory().buckets).toBe(false);
  });
});
