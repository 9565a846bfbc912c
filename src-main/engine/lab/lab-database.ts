import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type SqlDatabase } from '../adapters/sqlite/sql-driver';

/**
 * The lab's own SQLite file beside the bot's (docs/contract.md §11): candle history can run to millions of rows and is
 * written by worker threads, so it lives apart from the trading journal and never holds up the bot's writes.
 * Migration N brings user_version from N-1 to N; never edit a shipped one, append.
 */
const LAB_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE candle_sets (
    id INTEGER PRIMARY KEY, exchange TEXT NOT NULL, symbol TEXT NOT NULL, timeframe TEXT NOT NULL,
    UNIQUE (exchange, symbol, timeframe));
  CREATE TABLE candles (
    set_id INTEGER NOT NULL, ts INTEGER NOT NULL, open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL,
    close REAL NOT NULL, volume REAL NOT NULL, PRIMARY KEY (set_id, ts)) WITHOUT ROWID;
  -- per set, written with its candles: extent, count, gaps (runs of missing open times) and the spans the exchange was
  -- asked for and answered in full (a candle missing inside one is a gap there, not something still to fetch)
  CREATE TABLE candle_set_summary (
    set_id INTEGER PRIMARY KEY, first_ts INTEGER, last_ts INTEGER, candles INTEGER NOT NULL, gaps TEXT NOT NULL,
    coverage TEXT NOT NULL);
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, progress REAL NOT NULL, created_at INTEGER NOT NULL,
    finished_at INTEGER, request TEXT NOT NULL, error TEXT, result TEXT);
  CREATE INDEX jobs_state ON jobs(state);
  `,
];

export const LAB_DB_FILE = 'lab.sqlite';

/** Open (and migrate) the lab database of a data directory; each thread opens its own connection. */
export function openLabDatabase(dataDir: string): SqlDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dataDir, LAB_DB_FILE));
  db.pragma('journal_mode = WAL');
  // a kept page of candles or a finished job survives kill -9 (and a power cut)
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  const current = db.pragma('user_version') as number;
  if (current > LAB_MIGRATIONS.length) {
    db.close();
    throw new Error(`lab database schema version ${current} is newer than this BotDesk (${LAB_MIGRATIONS.length}); upgrade BotDesk`);
  }
  for (let v = current; v < LAB_MIGRATIONS.length; v++) {
    db.transaction(() => {
      // another thread may have migrated it between our read and this write
      if ((db.pragma('user_version') as number) > v) return;
      db.exec(LAB_MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    });
  }
  return db;
}
