// The instance lock with real processes: a kernel lock that dies with its owner (kill -9, even while the dead owner is
// still an unreaped zombie), refuses a second BotDesk at once with the owner named, and ignores pids in files.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireInstanceLock, InstanceLockError, LOCK_FILE } from '../../src-main/app/instance-lock';
import { LOCK_OWNER_FILE } from '../../src-main/app/lock-owner';
import { electronNodeBinary } from '../../scripts/electron-node.mjs';
import { headlessArgs } from '../../scripts/headless-entry.mjs';
import {
  killHard,
  LISTENING,
  LOCKED,
  lockHolderArgs,
  processState,
  root,
  serverEnv,
  startLockHolder,
  startServer,
  startUnreaped,
  type Started,
} from '../helpers/lock-processes';

const ALREADY_RUNNING = (pid: number | string, dir: string, user = '') =>
  `another BotDesk (pid ${pid}${user ? `, user ${user}` : ''}) is already running on ${dir}; stop it first, or set BOT_DATA_DIR to another folder`;
const newDataDir = () => mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
/**
 * The other-user cases run this checkout's code as `nobody`, which needs to reach it: a clone under /root or in a 0700
 * temporary folder is out of its reach, and those cases say so and are skipped (.ci/run makes its folder reachable).
 */
const nobodyCanRun =
  isRoot && spawnSync(process.execPath, ['--import', 'tsx', '-e', '0'], { ...NOBODY, cwd: process.cwd(), stdio: 'ignore' }).status === 0;
if (isRoot && !nobodyCanRun) console.log(`instance-lock: user nobody cannot reach ${process.cwd()}; the other-user cases are skipped`);

/** its stderr when it has exited, else nothing (for a failing expectation's message) */
const settled = (p: Started) =>
  Promise.race([p.exited, new Promise<{ stderr: string }>((r) => setTimeout(() => r({ stderr: '(still running)' }), 50))]);

const started: Started[] = [];
const track = <T extends Started>(p: T): T => (started.push(p), p);
afterEach(async () => {
  await Promise.all(started.splice(0).map(killHard));
});

describe('a lock the kernel frees when its owner dies', () => {
  // every killed owner stays a zombie (its parent does not reap it), as under a slow supervisor: its pid still exists
  it('kill -9, then an immediate restart takes the lock on its first try, twenty times in a row', async () => {
    const dir = newDataDir();
    const acquireMs: number[] = [];
    let killed: number | null = null;
    for (let i = 0; i < 20; i++) {
      const holder = track(startUnreaped(process.execPath, lockHolderArgs(dir), LOCKED));
      const out = await holder.ready; // null: refused (the holder never retries) and exited
      expect(out, `restart ${i + 1}: ${(await settled(holder)).stderr}`).toMatch(LOCKED);
      if (killed !== null) expect(processState(killed), 'the previous owner is still a zombie').toBe('Z');
      acquireMs.push(Number(/^locked \d+ ([\d.]+)/m.exec(out!)![1]));
      killed = await holder.childPid;
      process.kill(killed, 'SIGKILL'); // not waited for: the next one starts at once
    }
    acquireMs.sort((a, b) => a - b);
    console.log(`lock taken after kill -9 (20 restarts): median ${acquireMs[10]} ms, max ${acquireMs.at(-1)} ms from the holder's start`);
  }, 90_000);

  it('a real server killed with -9 (left a zombie) restarts at once and serves', async () => {
    const dir = newDataDir();
    const first = track(startUnreaped(process.execPath, headlessArgs(root), LISTENING, { env: serverEnv(dir) }));
    expect(await first.ready, 'first start').not.toBeNull();
    const pid = await first.childPid;
    process.kill(pid, 'SIGKILL');
    const t0 = Date.now();
    const second = track(startServer(dir));
    const out = await second.ready;
    expect(out, (await settled(second)).stderr).toMatch(/BotDesk API listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(processState(pid)).toBe('Z');
    console.log(`server restart after kill -9: listening ${Date.now() - t0} ms after the restart began`);
  }, 60_000);
});

describe('one BotDesk per data directory', () => {
  it('two servers started together: exactly one runs, the other exits 1 with the sentence naming it', async () => {
    const dir = newDataDir();
    const both = [track(startServer(dir)), track(startServer(dir))];
    const outcomes = await Promise.all(
      both.map((p) => Promise.race([p.ready.then((out) => (out ? 'runs' : 'exited')), p.exited.then(() => 'exited')])),
    );
    expect(outcomes.sort()).toEqual(['exited', 'runs']);
    const winner = both.find((p) => p.child.exitCode === null)!;
    const loser = both.find((p) => p !== winner)!;
    const { code, stderr } = await loser.exited;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`BotDesk: ${ALREADY_RUNNING(winner.child.pid!, dir)}`);
  }, 60_000);

  it('two holders started together: exactly one holds the lock', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = newDataDir();
      const both = [track(startLockHolder(dir)), track(startLockHolder(dir))];
      const results = await Promise.all(both.map((p) => p.ready));
      const winners = both.filter((_, i) => results[i] !== null);
      expect(winners).toHaveLength(1);
      const loser = both.find((p) => p !== winners[0])!;
      expect((await loser.exited).stderr.trim()).toBe(`BotDesk: ${ALREADY_RUNNING(winners[0].child.pid!, dir)}`);
      await Promise.all(both.map(killHard));
    }
  }, 60_000);

  it('in one process: a second acquire is refused naming this pid; release is idempotent and the lock can be taken again', () => {
    const dir = newDataDir();
    const lock = acquireInstanceLock(dir);
    expect(() => acquireInstanceLock(dir)).toThrow(new InstanceLockError(ALREADY_RUNNING(process.pid, dir)));
    // the refused attempt closed its own connection to the lock file: the lock must still be held
    expect(() => acquireInstanceLock(dir)).toThrow(InstanceLockError);
    lock.release();
    lock.release();
    expect(existsSync(join(dir, LOCK_OWNER_FILE))).toBe(false);
    const again = acquireInstanceLock(dir);
    again.release();
  });

  it('a holder under the other Node (node:sqlite, as in Electron) and this one exclude each other', async (ctx) => {
    const node24 = electronNodeBinary();
    if (!node24.binary || node24.binary === process.execPath) return ctx.skip();
    const dir = newDataDir();
    const holder = track(startLockHolder(dir, { node: node24.binary }));
    expect(await holder.ready).toMatch(/^locked/m);
    expect(() => acquireInstanceLock(dir)).toThrow(ALREADY_RUNNING(holder.child.pid!, dir));
  }, 30_000);
});

describe('pids in files never decide', () => {
  it('a pid file left by an earlier version, naming a live unrelated process, neither blocks nor stays', async () => {
    const dir = newDataDir();
    const unrelated = spawn('sleep', ['30']);
    try {
      // the old lock format (botdesk.lock holding a pid), and a stale owner record, both naming a process that lives
      writeFileSync(join(dir, 'botdesk.lock'), String(unrelated.pid));
      writeFileSync(join(dir, LOCK_OWNER_FILE), JSON.stringify({ pid: unrelated.pid, user: 'root' }));
      const holder = track(startLockHolder(dir));
      expect(await holder.ready).toMatch(/^locked/m);
      expect(existsSync(join(dir, 'botdesk.lock'))).toBe(false);
      expect(JSON.parse(readFileSync(join(dir, LOCK_OWNER_FILE), 'utf8')).pid).toBe(holder.child.pid);
    } finally {
      unrelated.kill('SIGKILL');
    }
  }, 30_000);

  it('a stale owner record naming this very process (pid reuse, pid 1 in containers) does not block', () => {
    const dir = newDataDir();
    writeFileSync(join(dir, LOCK_OWNER_FILE), JSON.stringify({ pid: process.pid, user: 'someone' }));
    writeFileSync(join(dir, 'botdesk.lock'), String(process.pid));
    acquireInstanceLock(dir).release();
  });
});

describe('bad input', () => {
  it.runIf(nobodyCanRun)(
    'a BotDesk of another user is refused with that user named, and its lock is never taken over',
    async () => {
      const dir = newDataDir();
      chownSync(dir, NOBODY.uid, NOBODY.gid);
      const holder = track(startLockHolder(dir, NOBODY));
      expect(await holder.ready).toMatch(/^locked/m);
      for (let i = 0; i < 3; i++) expect(() => acquireInstanceLock(dir)).toThrow(ALREADY_RUNNING(holder.child.pid!, dir, 'nobody'));
      expect(holder.child.exitCode).toBeNull();
      expect(JSON.parse(readFileSync(join(dir, LOCK_OWNER_FILE), 'utf8'))).toEqual({ pid: holder.child.pid, user: 'nobody' });
    },
    30_000,
  );

  it.runIf(nobodyCanRun)(
    "a user who may not write the running owner's lock file is refused with the owner named",
    async () => {
      const dir = newDataDir();
      chmodSync(dir, 0o777); // a shared folder: the lock file itself (0644, root's) is what the other user cannot write
      const lock = acquireInstanceLock(dir);
      try {
        const intruder = track(startLockHolder(dir, NOBODY));
        expect(await intruder.ready).toBeNull();
        const { code, stderr } = await intruder.exited;
        expect(code).toBe(1);
        expect(stderr.trim()).toBe(`BotDesk: ${ALREADY_RUNNING(process.pid, dir, 'root')}`);
      } finally {
        lock.release();
      }
      const stopped = track(startLockHolder(dir, NOBODY));
      expect(await stopped.ready).toBeNull();
      expect((await stopped.exited).stderr).toMatch(
        new RegExp(`lock file ${join(dir, LOCK_FILE)} belongs to another user and user nobody may not write it`),
      );
    },
    30_000,
  );

  it.runIf(!isRoot || nobodyCanRun)(
    'a data directory this user may not write: the server prints one line naming it and exits 1',
    async () => {
      const parent = newDataDir();
      const dir = join(parent, 'data');
      // as root (which may write anywhere) the server runs as nobody in root's folder; otherwise the folder is read-only
      if (!isRoot) chmodSync(parent, 0o555);
      const server = track(startServer(dir, isRoot ? { ...NOBODY, env: { HOME: parent } } : {}));
      expect(await server.ready).toBeNull();
      const { code, stderr } = await server.exited;
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^BotDesk: the data directory ${dir} is not writable by user \\S+ \\((EACCES|EPERM)\\)`));
      expect(spawnSync('ls', [parent]).stdout.toString()).toBe('');
    },
    30_000,
  );
});
