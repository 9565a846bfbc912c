import type { OpenOptions, SqlDatabase, SqlRunResult, SqlStatement } from './sql-database';
import { TransactionRunner } from './sql-transaction';

/** The slice of node:sqlite (Node 22.16+ and 24+, Electron's main process) this driver uses; Node 20's types lack it. */
interface NodeStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  setReturnArrays(enabled: boolean): void;
  setAllowUnknownNamedParameters(enabled: boolean): void;
}
interface NodeDatabase {
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
  exec(sql: string): void;
  prepare(sql: string): NodeStatement;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => NodeDatabase;
  StatementSync: { prototype: object };
}

const nodeSqlite = (): NodeSqliteModule | undefined => process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined;

let missing: string | null | undefined;

/**
 * null when node:sqlite has everything this driver needs (Node ≥ 22.16 and 24: array rows, unknown named parameters
 * ignored, isOpen/isTransaction), else what is missing. Probed once on an in-memory database.
 */
export function nodeSqliteMissing(): string | null {
  if (missing !== undefined) return missing;
  const sqlite = nodeSqlite();
  if (!sqlite) return (missing = `Node ${process.versions.node} has no node:sqlite`);
  const db = new sqlite.DatabaseSync(':memory:');
  try {
    const stmt = db.prepare('SELECT 1');
    const lacks = [
      ...(['setReturnArrays', 'setAllowUnknownNamedParameters'] as const)
        .filter((m) => typeof stmt[m] !== 'function')
        .map((m) => `StatementSync.${m}`),
      ...(['isOpen', 'isTransaction'] as const).filter((p) => typeof db[p] !== 'boolean').map((p) => `DatabaseSync.${p}`),
    ];
    missing = lacks.length ? `node:sqlite of Node ${process.versions.node} has no ${lacks.join(', ')}` : null;
  } finally {
    db.close();
  }
  return missing;
}

/** names of the named parameters (@a, :a, $a) of a statement, string literals skipped */
const namedParameters = (sql: string): string[] => [
  ...new Set([...sql.replace(/'(?:[^']|'')*'/g, "''").matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1])),
];

/**
 * node:sqlite refuses undefined (better-sqlite3 binds NULL) and binds NULL for a missing named value (better-sqlite3
 * throws). Both made to behave as better-sqlite3 does; the arguments are copied only when they hold an undefined.
 */
function bindable(params: unknown[], names: readonly string[], source: string): unknown[] {
  const first = params[0];
  if (names.length && params.length === 1 && typeof first === 'object' && first !== null && !ArrayBuffer.isView(first)) {
    const values = first as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const name of names) {
      if (values[name] !== undefined) continue;
      if (!(name in values)) throw new RangeError(`missing named parameter "${name}" for: ${source}`);
      copy ??= { ...values };
      copy[name] = null;
    }
    return copy ? [copy] : params;
  }
  return params.includes(undefined) ? params.map((v) => (v === undefined ? null : v)) : params;
}

function wrapStatement(stmt: NodeStatement, source: string, firstColumn: boolean): SqlStatement {
  const names = namedParameters(source);
  // extra keys in a named-value object are ignored, as better-sqlite3 does (the store passes whole records)
  if (names.length) stmt.setAllowUnknownNamedParameters(true);
  // node:sqlite has no pluck: a row's first column taken from its array
  const first = (row: unknown) => (row === undefined ? undefined : (row as unknown[])[0]);
  return {
    source,
    run: (...params) => stmt.run(...bindable(params, names, source)),
    get: firstColumn
      ? (...params) => first(stmt.get(...bindable(params, names, source)))
      : (...params) => stmt.get(...bindable(params, names, source)),
    all: firstColumn
      ? (...params) => stmt.all(...bindable(params, names, source)).map(first)
      : (...params) => stmt.all(...bindable(params, names, source)),
    iterate: (...params) => stmt.iterate(...bindable(params, names, source)),
  };
}

export function openNodeSqlite(path: string, options: OpenOptions): SqlDatabase {
  const { DatabaseSync } = nodeSqlite()!;
  const db = new DatabaseSync(path, { readOnly: options.readonly ?? false });
  const prepare = (sql: string, rows: 'objects' | 'arrays' | 'values' = 'objects'): SqlStatement => {
    const stmt = db.prepare(sql);
    if (rows !== 'objects') stmt.setReturnArrays(true);
    return wrapStatement(stmt, sql, rows === 'values');
  };
  const transactions = new TransactionRunner(
    (sql) => prepare(sql),
    () => db.isTransaction,
  );
  return {
    driver: 'node:sqlite',
    path,
    get isOpen() {
      return db.isOpen;
    },
    get inTransaction() {
      return db.isTransaction;
    },
    exec: (sql) => db.exec(sql),
    prepare: (sql, opts) => prepare(sql, opts?.rows),
    pragma: (text) => {
      const row = db.prepare(`PRAGMA ${text}`).get() as Record<string, unknown> | undefined;
      return row === undefined ? undefined : Object.values(row)[0];
    },
    transaction: (fn) => transactions.run(fn),
    close: () => db.close(),
  };
}
