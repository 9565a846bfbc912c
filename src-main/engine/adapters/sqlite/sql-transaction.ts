import type { SqlStatement } from './sql-database';

/**
 * BEGIN/COMMIT/ROLLBACK written out (node:sqlite has no transaction helper), with savepoints when nested, as
 * better-sqlite3's helper does. One implementation serves both drivers, so their transactions cannot differ.
 */
export class TransactionRunner {
  private readonly begin: SqlStatement;
  private readonly commit: SqlStatement;
  private readonly rollback: SqlStatement;
  private readonly savepoint: SqlStatement;
  private readonly release: SqlStatement;
  private readonly rollbackTo: SqlStatement;

  constructor(
    prepare: (sql: string) => SqlStatement,
    private readonly inTransaction: () => boolean,
  ) {
    this.begin = prepare('BEGIN');
    this.commit = prepare('COMMIT');
    this.rollback = prepare('ROLLBACK');
    this.savepoint = prepare('SAVEPOINT botdesk_nested');
    this.release = prepare('RELEASE botdesk_nested');
    this.rollbackTo = prepare('ROLLBACK TO botdesk_nested');
  }

  run<T>(fn: () => T): T {
    return this.inTransaction() ? this.nested(fn) : this.outer(fn);
  }

  private outer<T>(fn: () => T): T {
    this.begin.run();
    try {
      const result = fn();
      this.commit.run();
      return result;
    } catch (e) {
      // SQLite may already have rolled back by itself (e.g. a full disk); ROLLBACK would then fail and hide `e`
      if (this.inTransaction()) this.rollback.run();
      throw e;
    }
  }

  private nested<T>(fn: () => T): T {
    this.savepoint.run();
    try {
      const result = fn();
      this.release.run();
      return result;
    } catch (e) {
      if (this.inTransaction()) {
        this.rollbackTo.run();
        this.release.run();
      }
      throw e;
    }
  }
}
