import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { OpenOptions, SqlDatabase, SqlStatement } from './sql-database';
import { TransactionRunner } from './sql-transaction';

let loaded: typeof BetterSqlite3 | null = null;

/**
 * Loaded on first use only: Node 20 needs it, while Electron (node:sqlite) must never load this Node-ABI binary and
 * the packaged app does not even contain it.
 */
function betterSqlite3(): typeof BetterSqlite3 {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    return loaded;
  } catch (e) {
    throw new Error(
      `SQLite is unavailable: Node ${process.versions.node} has no usable node:sqlite (Node 22.16+ and 24+ have) and better-sqlite3 could not be loaded (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/** better-sqlite3's statements already have the interface's shape: handed out as they are, nothing per call */
export function openBetterSqlite3(path: string, options: OpenOptions): SqlDatabase {
  const Database = betterSqlite3();
  const db = new Database(path, { readonly: options.readonly ?? false });
  const prepare = (sql: string) => db.prepare(sql) as unknown as SqlStatement;
  const transactions = new TransactionRunner(prepare, () => db.inTransaction);
  return {
    driver: 'better-sqlite3',
    path,
    get isOpen() {
      return db.open;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    exec: (sql) => void db.exec(sql),
    prepare: (sql, opts) => {
      const stmt = db.prepare(sql);
      return (opts?.rows === 'arrays' ? stmt.raw(true) : opts?.rows === 'values' ? stmt.pluck(true) : stmt) as unknown as SqlStatement;
    },
    pragma: (text) => db.pragma(text, { simple: true }),
    transaction: (fn) => transactions.run(fn),
    close: () => void db.close(),
  };
}
