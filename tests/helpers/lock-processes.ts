// Real processes around the instance lock: the lock-holder script, the headless server itself, and a parent that
// never reaps its child (so a killed child stays a zombie, as under a slow supervisor).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { headlessArgs } from '../../scripts/headless-entry.mjs';

export const root = resolve(import.meta.dirname, '../..');

export interface Started {
  child: ChildProcess;
  /** resolves when the process printed `ready` (its stdout so far), or exited first (null) */
  ready: Promise<string | null>;
  /** exit code and all of stderr */
  exited: Promise<{ code: number | null; stderr: string }>;
  /** under an unreaping parent: the pid of the command itself (child is then the parent) */
  childPid?: Promise<number>;
}

/** spawn and watch for a line on stdout matching `ready` */
export function startWatched(command: string, args: string[], ready: RegExp, options: SpawnOptions = {}): Started {
  const child = spawn(command, args, { cwd: root, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<{ code: number | null; stderr: string }>((r) => child.once('exit', (code) => r({ code, stderr: err })));
  const readyLine = new Promise<string | null>((r) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (ready.test(out)) r(out);
    });
    void exited.then(() => r(null));
  });
  return { child, ready: readyLine, exited };
}

/** tests/helpers/lock-holder.ts: prints "locked <pid> <ms to acquire>" and holds the lock until killed */
export const lockHolderArgs = (dataDir: string) => ['--import', 'tsx', resolve(root, 'tests/helpers/lock-holder.ts'), dataDir];
export const LOCKED = /^locked \d+ [\d.]+\n/m;
export const startLockHolder = (dataDir: string, options: SpawnOptions & { node?: string } = {}): Started =>
  startWatched(options.node ?? process.execPath, lockHolderArgs(dataDir), LOCKED, options);

export const LISTENING = /BotDesk API listening on/;
/** the environment of a headless server on `dataDir`, a synthetic market and any free port */
export const serverEnv = (dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  BOT_DATA_DIR: dataDir,
  BOT_API_PORT: '0',
  BOT_MARKET: 'synthetic',
  ...extra,
});
/** the headless server (`npm run serve` without its dashboard build step) */
export const startServer = (dataDir: string, options: SpawnOptions = {}): Started =>
  startWatched(process.execPath, headlessArgs(root), LISTENING, { ...options, env: serverEnv(dataDir, options.env) });

/** `command` under tests/helpers/unreaping-parent.mjs: once `ready` shows, a SIGKILL to childPid leaves a zombie */
export function startUnreaped(
  command: string,
  args: string[],
  ready: RegExp,
  options: SpawnOptions = {},
): Started & { childPid: Promise<number> } {
  const parent = startWatched(
    process.execPath,
    [resolve(root, 'tests/helpers/unreaping-parent.mjs'), ready.source, command, ...args],
    ready,
    options,
  );
  let out = '';
  const childPid = new Promise<number>((r) => {
    parent.child.stdout!.on('data', (d: Buffer) => {
      const pid = /^child (\d+)\n/m.exec((out += d))?.[1];
      if (pid) r(Number(pid));
    });
    void parent.exited.then(() => r(NaN));
  });
  return { ...parent, childPid };
}

/** the process state letter from /proc (Z: a zombie), or null once the pid is gone */
export function processState(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
  } catch {
    return null;
  }
}

/** SIGKILL (the command too, under an unreaping parent), and wait until the process is gone */
export async function killHard(p: Started): Promise<void> {
  if (p.childPid) {
    const pid = await p.childPid;
    if (Number.isInteger(pid) && processState(pid) !== 'Z' && processState(pid) !== null) process.kill(pid, 'SIGKILL');
  }
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}
