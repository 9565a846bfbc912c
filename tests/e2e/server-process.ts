// Runs the real headless server (`npm run serve` = tsx src-main/headless.ts) for browser tests and benches.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { retireForScan } from '../helpers/secret-registry';

const root = resolve(import.meta.dirname, '../..');
/** an alternative entry can be named for local experiments; the suite's default is the real server */
const entry = process.env.BOTDESK_E2E_SERVER_ENTRY ?? 'src-main/headless.ts';
const READY = /BotDesk API listening on (http:\/\/\S+)/;
const LOGIN = /(http:\/\/\S*#login=\S+)/;

export interface ServerOptions {
  dataDir: string;
  /** 0 = any free port */
  port?: number;
  replaySpeed?: number | 'max';
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** another Node and entry, e.g. Node 24 on the built bundle (default: this Node, the sources through tsx) */
  command?: { node: string; args: string[] };
}

export interface RunningServer {
  url: string;
  port: number;
  /** the one-time link the server printed, if any */
  loginUrl: string | null;
  token: string;
  process: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  api<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const child = spawn(o.command?.node ?? process.execPath, o.command?.args ?? ['--import', 'tsx', entry], {
    cwd: root,
    env: {
      ...process.env,
      BOT_DATA_DIR: o.dataDir,
      BOT_API_PORT: String(o.port ?? 0),
      BOT_REPLAY_SPEED: String(o.replaySpeed ?? 30),
      BOT_MODE: 'paper',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));

  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`server not ready after ${o.readyTimeoutMs ?? 30000} ms:\n${out}`)),
      o.readyTimeoutMs ?? 30_000,
    );
    const check = () => {
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  });
  // the login line comes before the ready line (older builds printed it after: give it a moment)
  for (let i = 0; i < 50 && !LOGIN.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  const token = readFileSync(join(o.dataDir, 'api-token'), 'utf8').trim();

  const server: RunningServer = {
    url,
    port: Number(new URL(url).port),
    loginUrl: LOGIN.exec(out)?.[1] ?? null,
    token,
    process: child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      // for the suite's final secret scan: what the process printed, its data directory and the token it used
      retireForScan({ source: 'server-process', dataDirs: [o.dataDir], secrets: [token], texts: [out], removeAfterScan: false });
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await exited;
    },
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as never };
    },
  };
  return server;
}
