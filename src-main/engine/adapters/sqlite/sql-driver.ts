import { openBetterSqlite3 } from './better-sqlite3.driver';
import { nodeSqliteMissing, openNodeSqlite } from './node-sqlite.driver';

import type { OpenOptions, SqlDatabase, SqlDriverName } from './sql-database';

// the interface lives apart so the drivers can implement it without importing the module that picks between them
export type { OpenOptions, SqlDatabase, SqlDriverName, SqlRunResult, SqlStatement } from './sql-database';

/** The driver `openDatabase` picks here by default. */
export const defaultDriver = (): SqlDriverName => (nodeSqliteMissing() === null ? 'node:sqlite' : 'better-sqlite3');

export function openDatabase(path: string, options: OpenOptions = {}): SqlDatabase {
  const driver = options.driver ?? defaultDriver();
  if (driver === 'node:sqlite') {
    const missing = nodeSqliteMissing();
    if (missing !== null) throw new Error(`node:sqlite cannot be used here: ${missing}`);
    return openNodeSqlite(path, options);
  }
  return openBetterSqlite3(path, options);
}
