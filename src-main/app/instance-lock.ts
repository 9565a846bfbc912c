import { accessSync, constants, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type SqlDatabase } from '../engine/adapters/sqlite/sql-driver';
import { ensureWritableDataDir } from './data-dir';
import { currentUser, readLockOwner, removeLockOwner, writeLockOwner, type LockOwner } from './lock-owner';

export class InstanceLockError extends Error {}

/** a small SQLite database whose exclusive lock (an fcntl lock, which the kernel drops when its process dies) is the instance lock */
export const LOCK_FILE = 'botdesk.lock.db';
/** the pid file of earlier versions: never a reason to refuse, removed once the real lock is held */
const LEGACY_PID_FILE = 'botdesk.lock';

/**
 * One bot per data directory: two processes trading the same book would double every order. The lock is SQLite's
 * exclusive lock on BOT_DATA_DIR/botdesk.lock.db, held for the life of the process: a crash of any kind (kill -9,
 * OOM, power cut) frees it at once, and no pid is ever taken as proof of life. SQLite also refuses a second
 * connection within the same process, so two runtimes in one process exclude each other too.
 * Never open the lock file outside SQLite in the holding process: POSIX drops all of a process's locks on a file when
 * any descriptor of it closes (SQLite guards its own connections against that, not a stray readFileSync).
 */
export function acquireInstanceLock(dataDir: string): { release(): void } {
  ensureWritableDataDir(dataDir);
  const file = join(dataDir, LOCK_FILE);
  if (existsSync(file) && !writable(file)) refuseWithoutWriteAccess(dataDir, file);
  // Two starting together can both find the other's lock for a moment (each holds a shared lock while it looks) and
  // both give up; a holder keeps its lock for life. So a refusal is tried again a few times within ~0.3 s.
  let db: SqlDatabase | null = null;
  for (let attempt = 1; db === null; attempt++) {
    try {
      db = lockDatabase(file);
    } catch (e) {
      if (!isBusy(e))
        throw new Error(`cannot use the lock file ${file}: ${(e as Error).message}; remove it if no BotDesk is running on ${dataDir}`);
      if (attempt >= BUSY_ATTEMPTS) throw new InstanceLockError(alreadyRunning(dataDir, readLockOwner(dataDir, file)));
      sleepSync(20 + Math.random() * 60);
    }
  }
  try {
    writeLockOwner(dataDir);
    rmSync(join(dataDir, LEGACY_PID_FILE), { force: true });
  } catch (e) {
    db.close();
    throw e;
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      removeLockOwner(dataDir);
      db.close();
    },
  };
}

const BUSY_ATTEMPTS = 6;

/** The lock database opened and locked for this process's life; throws SQLITE_BUSY while another holds it. */
function lockDatabase(file: string): SqlDatabase {
  const db = openDatabase(file);
  try {
    // keep every lock taken until the connection closes, and fail at once rather than wait for a holder
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('busy_timeout = 0'); // better-sqlite3 would wait 5 s by default
    db.exec('BEGIN EXCLUSIVE');
    // a write, so the exclusive lock outlives the transaction (and the file's mtime dates this holder's start)
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ?, ?)').run(process.pid, Date.now());
    db.exec('COMMIT');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** the start-up is synchronous (no timers yet): a short pause without an event loop */
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** the sentence a second BotDesk on the same data directory exits with */
function alreadyRunning(dataDir: string, owner: LockOwner | null): string {
  const who = owner === null ? 'pid unknown' : owner.user === currentUser() ? `pid ${owner.pid}` : `pid ${owner.pid}, user ${owner.user}`;
  return `another BotDesk (${who}) is already running on ${dataDir}; stop it first, or set BOT_DATA_DIR to another folder`;
}

const writable = (file: string): boolean => {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Another user's lock file, which this user may not lock: a read tells whether its owner holds it (a read needs a
 * shared lock, which the holder's exclusive lock refuses). Refused either way, never taken over.
 */
function refuseWithoutWriteAccess(dataDir: string, file: string): never {
  let held = false;
  let probe: SqlDatabase | null = null;
  try {
    probe = openDatabase(file, { readonly: true });
    probe.pragma('busy_timeout = 0'); // better-sqlite3 would wait 5 s by default
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    held = isBusy(e);
  } finally {
    probe?.close();
  }
  if (held) throw new InstanceLockError(alreadyRunning(dataDir, readLockOwner(dataDir, file)));
  throw new InstanceLockError(
    `the lock file ${file} belongs to another user and user ${currentUser()} may not write it; run BotDesk as the user who owns ${dataDir}, or set BOT_DATA_DIR to another folder`,
  );
}

/** SQLITE_BUSY from either driver: better-sqlite3 names the code, node:sqlite gives the number (5) */
function isBusy(e: unknown): boolean {
  const err = e as { code?: unknown; errcode?: unknown };
  return err.code === 'SQLITE_BUSY' || (typeof err.errcode === 'number' && (err.errcode & 0xff) === 5);
}
