// `scripts/serve.mjs` as a user starts it: a child process whose output is collected until its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServeProcess {
  child: ChildProcess;
  /** what it printed so far */
  out(): string;
  err(): string;
  /** resolves once the ready line is out (or the process exited, or the deadline passed: the caller's checks say which) */
  ready(timeoutMs: number): Promise<void>;
  /** SIGINT, as Ctrl+C would; resolves with the exit code */
  stop(): Promise<number | null>;
}

/** serve.mjs of `root`, started in `cwd` with a fresh data directory and a free port */
export function startServe(root: string, cwd: string, env: NodeJS.ProcessEnv = process.env): ServeProcess {
  const childEnv: NodeJS.ProcessEnv = { ...env, BOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'botdesk-serve-')), BOT_API_PORT: '0' };
  const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs')], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  return {
    child,
    out: () => out,
    err: () => err,
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!/listening on/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    },
    stop() {
      const exited = new Promise<number | null>((r) =>
        child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
      );
      child.kill('SIGINT');
      return exited;
    },
  };
}
