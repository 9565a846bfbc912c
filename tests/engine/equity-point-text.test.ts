// Migration 9: each equity point keeps its answer text, written by SQLite with the point, and a window of per-candle
// points is those texts joined. The answer must be the very bytes SQLite's json_group_array(json_object(…)) writes from
// the stored numbers (what every read gave before), for points written now (on either driver: the storage suites run
// under Node 24's node:sqlite too) and for points of a schema-8 database filled by the migration.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import type { EquityPoint } from '../../src-shared/contract';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const MINUTE = 60_000;
const START = 1_700_000_040_000;

/** equities of every kind a curve holds: whole numbers (SQLite writes 100.0), long fractions, tiny and huge, negative */
function curve(n: number): EquityPoint[] {
  let seed = 11;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let equity = 10_000;
  return Array.from({ length: n }, (_, i) => {
    equity *= 1 + (rand() - 0.5) * 0.002;
    const special = [100, 0, -0, -12.5, 1e-9, 123_456_789.123_456_78, 0.1 + 0.2, 2 ** 53, 5e-324][i % 97];
    return { ts: START + i * MINUTE, equity: special ?? equity };
  });
}

/** what the per-candle window was before migration 9, computed by SQLite from the stored numbers */
const formattedFromNumbers = (dir: string, from: number, to: number): string => {
  const db = openDatabase(join(dir, 'botdesk.sqlite'), { readonly: true });
  try {
    const [json] = db
      .prepare(
        `SELECT json_group_array(json_object('ts', ts, 'equity', equity)) FROM (SELECT ts, equity FROM equity_points WHERE ts >= ? AND ts <= ? ORDER BY ts)`,
        { rows: 'arrays' },
      )
      .get(from, to) as [string];
    return json;
  } finally {
    db.close();
  }
};

const windows = (n: number): [number, number][] => [
  [START, START + 499 * MINUTE],
  [START + 37 * MINUTE, START + 37 * MINUTE],
  [START + 1_234 * MINUTE + 1, START + 1_600 * MINUTE - 1],
  [START + (n - 300) * MINUTE, START + (n + 50) * MINUTE],
  [START - 10 * MINUTE, START + 20 * MINUTE],
];

function storeWith(points: EquityPoint[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-point-text-'));
  dirs.push(dir);
  const store = new SqliteStore(dir);
  try {
    // as the bot writes them: a batch per transaction
    for (let i = 0; i < points.length; i += 250) store.appendEquity(points.slice(i, i + 250));
  } finally {
    store.close();
  }
  return dir;
}

function expectAnswersAsBefore(dir: string, n: number): void {
  const store = new SqliteStore(dir);
  try {
    for (const [from, to] of windows(n)) {
      const answer = store.queryEquityJson({ from, to, limit: 500 });
      expect(typeof answer, `${from}..${to}`).toBe('string');
      expect(answer, `${from}..${to}`).toBe(formattedFromNumbers(dir, from, to));
      // and the numbers are the stored ones, read one by one
      expect(JSON.parse(answer as string)).toEqual(store.queryEquity({ from, to, limit: 500 }).points);
    }
    // a window the curve does not reach
    expect(store.queryEquityJson({ from: START - 100 * MINUTE, to: START - 50 * MINUTE, limit: 500 })).toBe('[]');
  } finally {
    store.close();
  }
}

describe('equity point texts (migration 9)', () => {
  const points = curve(2_000);

  it('answers a per-candle window with the bytes SQLite formats from the stored numbers', () => {
    const dir = storeWith(points);
    const db = openDatabase(join(dir, 'botdesk.sqlite'), { readonly: true });
    const missing = db.prepare(`SELECT count(*) AS n FROM equity_points WHERE point IS NULL`).get() as { n: number };
    db.close();
    expect(missing.n).toBe(0);
    expectAnswersAsBefore(dir, points.length);
  });

  it('fills the texts of a schema-8 database on open, and still answers a point that has none', () => {
    const dir = storeWith(points);
    const db = openDatabase(join(dir, 'botdesk.sqlite'));
    db.exec(`ALTER TABLE equity_points DROP COLUMN point`);
    db.pragma('user_version = 8');
    db.close();

    const upgraded = new SqliteStore(dir);
    const columns = (upgraded.db.prepare(`SELECT name FROM pragma_table_info('equity_points')`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toEqual(['ts', 'equity', 'point']);
    expect(upgraded.db.pragma('user_version')).toBe(9);
    // a point whose text is lost is written on the spot, not dropped from the window
    upgraded.db.exec(`UPDATE equity_points SET point = NULL WHERE ts = ${START + 40 * MINUTE}`);
    upgraded.close();
    expectAnswersAsBefore(dir, points.length);
  });
});
