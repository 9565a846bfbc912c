// The SQL driver interface behaves the same whichever driver is under it: node:sqlite (Electron's main process,
// Node 22.16+ and 24+) or better-sqlite3 (Node 20). npm test also runs this file under Node 24 (scripts/test.mjs), so both
// drivers are exercised on this machine; each run tests the drivers its Node can load.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDriver, openDatabase, type SqlDatabase, type SqlDriverName } from '../../src-main/engine/adapters/sqlite/sql-driver';
import { nodeSqliteMissing } from '../../src-main/engine/adapters/sqlite/node-sqlite.driver';

const dir = mkdtempSync(join(tmpdir(), 'botdesk-sql-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [major, minor] = process.versions.node.split('.').map(Number);
// what the driver needs arrived in Node 22.16 and 24.0 (array rows, isTransaction)
const hasNodeSqlite = major >= 24 || (major === 22 && minor >= 16);

/** better-sqlite3 is built for this machine's Node 20 ABI: under another Node it cannot load, which is the point */
function canLoad(driver: SqlDriverName): boolean {
  try {
    openDatabase(':memory:', { driver }).close();
    return true;
  } catch {
    return false;
  }
}
const drivers = (['node:sqlite', 'better-sqlite3'] as const).filter(canLoad);

describe('driver choice', () => {
  it(`picks node:sqlite where Node has what it needs (22.16+, 24+), else better-sqlite3 (this is Node ${process.versions.node})`, () => {
    expect(defaultDriver()).toBe(hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3');
    expect(nodeSqliteMissing() === null).toBe(hasNodeSqlite);
    if (!hasNodeSqlite)
      expect(() => openDatabase(':memory:', { driver: 'node:sqlite' })).toThrow(
        /node:sqlite cannot be used here: Node 20\.\d+\.\d+ has no node:sqlite/,
      );
  });
});

let files = 0;
const fresh = (driver: SqlDriverName): SqlDatabase => {
  const db = openDatabase(join(dir, `${driver.replace(':', '-')}-${++files}.sqlite`), { driver });
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount REAL, note TEXT)`);
  return db;
};

describe.each(drivers)('%s', (driver) => {
  it('binds named values by bare key, ignores extra keys, binds undefined as NULL; rows hold numbers, not BigInts', () => {
    const db = fresh(driver);
    const insert = db.prepare(`INSERT INTO t (name, amount, note) VALUES (@name, @amount, @note)`);
    const info = insert.run({ name: 'a', amount: 1.5, note: undefined, unrelated: 'ignored' });
    expect(Number(info.changes)).toBe(1);
    expect(info.lastInsertRowid).toBe(1);
    insert.run({ name: 'b', amount: 2 ** 40, note: 'x' });
    const rows = db.prepare(`SELECT id, name, amount, note FROM t ORDER BY id`).all();
    expect(JSON.parse(JSON.stringify(rows))).toEqual([
      { id: 1, name: 'a', amount: 1.5, note: null },
      { id: 2, name: 'b', amount: 2 ** 40, note: 'x' },
    ]);
    expect(typeof (rows[1] as { id: unknown }).id).toBe('number');
    // a parameter used twice; the $ and : prefixes bind by bare key too
    expect(db.prepare(`SELECT @v * @v AS s`).get({ v: 3 })).toMatchObject({ s: 9 });
    expect(db.prepare(`SELECT $a - :b AS s`).get({ a: 5, b: 2 })).toMatchObject({ s: 3 });
    db.close();
  });

  it('a missing named value is an error naming it, and nothing is written', () => {
    const db = fresh(driver);
    expect(() => db.prepare(`INSERT INTO t (name, amount) VALUES (@name, @amount)`).run({ name: 'a' })).toThrow(/amount/);
    expect(db.prepare(`SELECT count(*) AS n FROM t`).get()).toMatchObject({ n: 0 });
    db.close();
  });

  it('positional values, undefined as NULL, get → undefined when no row, iterate, rows as arrays', () => {
    const db = fresh(driver);
    const insert = db.prepare(`INSERT INTO t (name, amount, note) VALUES (?, ?, ?)`);
    for (let i = 1; i <= 3; i++) insert.run(`n${i}`, i * 10, undefined);
    expect(db.prepare(`SELECT * FROM t WHERE id = ?`).get(99)).toBeUndefined();
    expect(
      [...db.prepare(`SELECT name FROM t WHERE amount >= ? ORDER BY id`).iterate(20)].map((r) => (r as { name: string }).name),
    ).toEqual(['n2', 'n3']);
    const arrays = db.prepare(`SELECT id, name, note FROM t WHERE id <= @max ORDER BY id`, { rows: 'arrays' });
    expect(arrays.all({ max: 2 })).toEqual([
      [1, 'n1', null],
      [2, 'n2', null],
    ]);
    expect(arrays.source).toBe(`SELECT id, name, note FROM t WHERE id <= @max ORDER BY id`);
    db.close();
  });

  it('transactions commit, roll back whole on a throw, and nest as savepoints', () => {
    const db = fresh(driver);
    const insert = db.prepare(`INSERT INTO t (name) VALUES (?)`);
    const count = () => (db.prepare(`SELECT count(*) AS n FROM t`).get() as { n: number }).n;
    expect(db.transaction(() => (insert.run('a'), insert.run('b'), 'done'))).toBe('done');
    expect(count()).toBe(2);
    expect(() =>
      db.transaction(() => {
        insert.run('c');
        insert.run(null); // NOT NULL: the whole transaction goes, 'c' with it
      }),
    ).toThrow(/NOT NULL/);
    expect(count()).toBe(2);
    expect(db.inTransaction).toBe(false);
    db.transaction(() => {
      insert.run('outer');
      expect(() =>
        db.transaction(() => {
          insert.run('inner');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      expect(db.inTransaction).toBe(true);
    });
    expect(
      db
        .prepare(`SELECT name FROM t WHERE id > 2 ORDER BY id`)
        .all()
        .map((r) => (r as { name: string }).name),
    ).toEqual(['outer']);
    db.close();
    expect(db.isOpen).toBe(false);
  });

  it('pragmas answer their value; a read-only connection refuses writes', () => {
    const db = fresh(driver);
    expect(db.pragma('journal_mode = WAL')).toBe('wal');
    db.pragma('user_version = 7');
    expect(db.pragma('user_version')).toBe(7);
    expect(db.pragma('integrity_check')).toBe('ok');
    db.close();
    const ro = openDatabase(db.path, { driver, readonly: true });
    expect(ro.pragma('user_version')).toBe(7);
    expect(() => ro.exec(`INSERT INTO t (name) VALUES ('x')`)).toThrow(/readonly|read-only/i);
    ro.close();
  });
});
