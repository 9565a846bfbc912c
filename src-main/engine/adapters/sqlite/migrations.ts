import type { SqlDatabase } from './sql-driver';

/** Versioned schema: migration N brings user_version from N-1 to N. Never edit a shipped one; append. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE config_versions (
    version INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL,
    changes TEXT NOT NULL, config TEXT NOT NULL);
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY, client_order_id TEXT NOT NULL UNIQUE, exchange_order_id TEXT, symbol TEXT NOT NULL,
    side TEXT NOT NULL, type TEXT NOT NULL, purpose TEXT NOT NULL, amount REAL NOT NULL, price REAL, trigger_price REAL,
    status TEXT NOT NULL, filled REAL NOT NULL, average_price REAL, fee REAL NOT NULL, position_id INTEGER,
    exit_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, config_version INTEGER NOT NULL);
  CREATE INDEX orders_active ON orders(status) WHERE status IN ('new', 'open');
  CREATE TABLE positions (
    id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, amount REAL NOT NULL, entry_price REAL NOT NULL, entry_fee REAL NOT NULL,
    stop_loss_price REAL NOT NULL, take_profit_price REAL NOT NULL, opened_at INTEGER NOT NULL, config_version INTEGER NOT NULL,
    entry_client_order_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, closed_at INTEGER);
  CREATE TABLE trades (
    id INTEGER PRIMARY KEY, position_id INTEGER NOT NULL UNIQUE, symbol TEXT NOT NULL, side TEXT NOT NULL, amount REAL NOT NULL,
    entry_price REAL NOT NULL, exit_price REAL NOT NULL, entry_time INTEGER NOT NULL, exit_time INTEGER NOT NULL,
    fee REAL NOT NULL, pnl REAL NOT NULL, pnl_pct REAL NOT NULL, exit_reason TEXT NOT NULL, config_version INTEGER NOT NULL);
  CREATE INDEX trades_exit_time ON trades(exit_time, id);
  CREATE TABLE equity (ts INTEGER NOT NULL, equity REAL NOT NULL);
  CREATE INDEX equity_ts ON equity(ts);
  CREATE TABLE audit (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT NOT NULL);
  CREATE TABLE logs (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, level TEXT NOT NULL, record TEXT NOT NULL);
  CREATE TABLE paper_orders (client_order_id TEXT PRIMARY KEY, request TEXT NOT NULL, state TEXT NOT NULL);
  `,
  // 2: history that stays fast as it grows. Kept trade totals (one row, written with each trade); running count and
  // pnl in (exit_time, id) order so a range's totals are two index lookups; equity keyed by ts (the table is its own
  // index) plus min/max/last buckets at coarser levels; logs by level. The start-up check fills what is new here.
  `
  CREATE TABLE trade_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1), trades INTEGER NOT NULL, wins INTEGER NOT NULL, losses INTEGER NOT NULL,
    realized REAL NOT NULL, fees REAL NOT NULL, gross_profit REAL NOT NULL, gross_loss REAL NOT NULL,
    best REAL, worst REAL, last_trade_id INTEGER);
  ALTER TABLE trades ADD COLUMN run_count INTEGER;
  ALTER TABLE trades ADD COLUMN run_pnl REAL;
  CREATE TABLE equity_points (ts INTEGER PRIMARY KEY, equity REAL NOT NULL);
  INSERT OR REPLACE INTO equity_points (ts, equity) SELECT ts, equity FROM equity ORDER BY ts, rowid;
  DROP TABLE equity;
  CREATE TABLE equity_buckets (
    level INTEGER NOT NULL, start INTEGER NOT NULL, min_ts INTEGER NOT NULL, min_equity REAL NOT NULL,
    max_ts INTEGER NOT NULL, max_equity REAL NOT NULL, last_ts INTEGER NOT NULL, last_equity REAL NOT NULL,
    PRIMARY KEY (level, start)) WITHOUT ROWID;
  CREATE INDEX logs_level ON logs(level, id);
  `,
  // 3: a position may end in several trades (an exit that fills in part sells that part; the rest is sold later), so
  // position_id is no longer unique. SQLite cannot drop a constraint: the table is copied.
  `
  CREATE TABLE trades_v3 (
    id INTEGER PRIMARY KEY, position_id INTEGER NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL, amount REAL NOT NULL,
    entry_price REAL NOT NULL, exit_price REAL NOT NULL, entry_time INTEGER NOT NULL, exit_time INTEGER NOT NULL,
    fee REAL NOT NULL, pnl REAL NOT NULL, pnl_pct REAL NOT NULL, exit_reason TEXT NOT NULL, config_version INTEGER NOT NULL,
    run_count INTEGER, run_pnl REAL);
  INSERT INTO trades_v3 (id, position_id, symbol, side, amount, entry_price, exit_price, entry_time, exit_time, fee, pnl, pnl_pct,
    exit_reason, config_version, run_count, run_pnl)
    SELECT id, position_id, symbol, side, amount, entry_price, exit_price, entry_time, exit_time, fee, pnl, pnl_pct,
    exit_reason, config_version, run_count, run_pnl FROM trades;
  DROP TABLE trades;
  ALTER TABLE trades_v3 RENAME TO trades;
  CREATE INDEX trades_exit_time ON trades(exit_time, id);
  CREATE INDEX trades_position ON trades(position_id);
  `,
  // 4: money that moved without the bot (deposits, withdrawals, trades by hand): kept apart from P&L (docs/contract.md §9)
  `
  CREATE TABLE cash_flows (
    id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, asset TEXT NOT NULL, amount REAL NOT NULL, value REAL NOT NULL, kind TEXT NOT NULL);
  CREATE INDEX cash_flows_ts ON cash_flows(ts, id);
  `,
  // 5: a position whose stop the trailing rule raised (its stop's fill is a trailing_stop exit, docs/contract.md §4)
  `
  ALTER TABLE positions ADD COLUMN stop_trailed INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: each trade's JSON as the API sends it, written with the trade (a closed trade never changes), so a page of
  // trades is read as text rather than rebuilt field by field; the start-up check fills it for older trades. (Equity
  // points got theirs later, in 9.)
  `
  ALTER TABLE trades ADD COLUMN json TEXT;
  `,
  // 7: each equity bucket's six figures in one blob (six little-endian doubles, equity-buckets.ts), so a window's
  // buckets are read as one value instead of a row each (about the size of the six columns it replaces). The start-up
  // check rebuilds the buckets from the per-candle points, as it does whenever they are missing.
  `
  DROP TABLE equity_buckets;
  CREATE TABLE equity_buckets (level INTEGER NOT NULL, start INTEGER NOT NULL, packed BLOB NOT NULL, PRIMARY KEY (level, start)) WITHOUT ROWID;
  `,
  // 8: a page of trades read from the index alone: the (exit_time, id) index also holds each trade's text, so a page's
  // 100 texts come from consecutive index entries instead of 100 lookups in the table (~22 µs of a ~63 µs page
  // statement, docs/benchmarks.md cold-reads; ~300 bytes more a trade). It replaces the narrower index, whose every
  // use the wider one serves.
  `
  CREATE INDEX IF NOT EXISTS trades_page ON trades(exit_time, id, json);
  DROP INDEX IF EXISTS trades_exit_time;
  `,
  // 9: each equity point's JSON as the API sends it (SQLite's own json_object text, so an answer is the same bytes as
  // before), written with the point: a window of 500 points is joined text instead of 1,000 numbers formatted per
  // request (in process ~112 → ~60 µs, docs/benchmarks.md cold-reads), at ~53 bytes more a candle (README "Growth
  // policy"). Older points are filled here, in the same transaction (~1 s per million points).
  `
  ALTER TABLE equity_points ADD COLUMN point TEXT;
  UPDATE equity_points SET point = json_object('ts', ts, 'equity', equity);
  `,
];

export function migrate(db: SqlDatabase): void {
  const current = db.pragma('user_version') as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this BotDesk (${MIGRATIONS.length}); upgrade BotDesk`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    });
  }
}
