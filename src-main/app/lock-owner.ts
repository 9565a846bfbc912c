import { readFileSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../operations/atomic-file';

/**
 * Who holds the instance lock, for the refusal's sentence only: the kernel lock decides who runs, this record just
 * names the holder (a pid here is never checked for liveness; it may be stale or reused).
 */
export interface LockOwner {
  pid: number;
  user: string;
}

export const LOCK_OWNER_FILE = 'botdesk.lock.owner';

/** the running user's name (its uid when the name cannot be looked up, e.g. a container user with no passwd entry) */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** written by the holder right after it took the lock; readable by others (0644) so a refusal can name the owner */
export function writeLockOwner(dataDir: string): void {
  const owner: LockOwner = { pid: process.pid, user: currentUser() };
  writeFileAtomic(join(dataDir, LOCK_OWNER_FILE), JSON.stringify(owner) + '\n', 0o644);
}

/** removed by the holder while it still holds the lock, so it can never remove a later holder's record */
export function removeLockOwner(dataDir: string): void {
  rmSync(join(dataDir, LOCK_OWNER_FILE), { force: true });
}

/**
 * The holder's record. A holder writes its lock file first and its record just after, so a record older than the lock
 * file is a previous holder's: it is read again for a moment (the new holder writes it within milliseconds).
 */
export function readLockOwner(dataDir: string, lockFile: string, waitMs = 500): LockOwner | null {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = readRecord(dataDir, lockFile);
    if (found?.current || Date.now() >= deadline) return found?.owner ?? null;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

function readRecord(dataDir: string, lockFile: string): { owner: LockOwner; current: boolean } | null {
  const file = join(dataDir, LOCK_OWNER_FILE);
  try {
    const written = statSync(file).mtimeMs;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (!Number.isInteger(parsed.pid) || typeof parsed.user !== 'string') return null;
    // stat only: opening the lock file and closing it would drop this process's own fcntl locks on it
    return { owner: { pid: parsed.pid!, user: parsed.user }, current: written >= statSync(lockFile).mtimeMs };
  } catch {
    return null; // not written yet, or half of an older format: the sentence then says the pid is unknown
  }
}
