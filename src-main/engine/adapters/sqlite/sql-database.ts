/**
 * The part of SQLite the store uses, behind one interface with two drivers:
 * - `node:sqlite` (built into Node 22.16+ and 24+, and so into Electron's main process), so the desktop app needs no native
 *   module built for Electron's ABI;
 * - `better-sqlite3` where Node has no usable node:sqlite (Node 20), loaded only then.
 * Both behave alike where the store can tell: rows are plain data (node:sqlite's have a null prototype), numbers not
 * BigInts, named parameters take bare keys, undefined binds NULL, a missing named parameter throws, extra keys are
 * ignored, nested transactions are savepoints.
 */
export type SqlDriverName = 'node:sqlite' | 'better-sqlite3';

export interface SqlRunResult {
  changes: number | bigint;
  lastInsertRowid: number | bigint;
}

/** A prepared statement: positional values, or one object of named values (keys without their @ : $ prefix). */
export interface SqlStatement {
  /** the SQL it was prepared from */
  readonly source: string;
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

export interface SqlDatabase {
  readonly driver: SqlDriverName;
  /** the file it was opened from */
  readonly path: string;
  readonly isOpen: boolean;
  readonly inTransaction: boolean;
  exec(sql: string): void;
  /**
   * `rows: 'arrays'` returns each row as an array in column order (cheaper than an object per row); `rows: 'values'`
   * each row's first column alone (no container per row where the driver can: better-sqlite3's pluck)
   */
  prepare(sql: string, options?: { rows?: 'objects' | 'arrays' | 'values' }): SqlStatement;
  /** runs `PRAGMA text`; returns the first column of the first row (undefined when it returns none) */
  pragma(text: string): unknown;
  /** runs fn in a transaction (a savepoint when one is open): committed when it returns, rolled back when it throws */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
  /** which driver; by default node:sqlite where this runtime has it, else better-sqlite3 */
  driver?: SqlDriverName;
}
