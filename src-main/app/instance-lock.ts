import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class InstanceLockError extends Error {}

/** locks this process holds: a lock file naming our own pid is only ours if it is in here (pids get reused, pid 1 in containers) */
const held = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One bot per data directory: two processes trading the same book would double every order. The lock file holds
 * the owner's pid; a lock left by a process that died (kill -9, power cut) is taken over.
 */
export function acquireInstanceLock(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'botdesk.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          held.delete(file);
          rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(file, 'utf8').trim());
      const ours = owner === process.pid;
      if (ours ? held.has(file) : Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new InstanceLockError(`another BotDesk (pid ${owner}) is already running on ${dataDir}; stop it first, or set BOT_DATA_DIR to another folder`);
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new InstanceLockError(`could not take the lock ${file}`);
}
