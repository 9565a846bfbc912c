// The strategy lab as users run it: the headless server from the electron-vite build (out/main/headless.js, what
// `npm run serve` starts), whose worker threads are the build's own lab-worker.js. A download through the emulator and
// a sweep run there; kill -9 in the middle of the sweep, and after the restart the job says it failed (never stays
// running) while the candles kept are all there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, headlessArgs } from '../../scripts/headless-entry.mjs';
import type { BinanceEmulator } from '../exchange-emulator/server';
import type { HistorySet, Job } from '../../src-shared/contract';
import { altRows, startLabEmulator } from './lab-helpers';

const root = resolve(import.meta.dirname, '../..');
const rows = altRows();
let emu: BinanceEmulator;

beforeAll(async () => {
  emu = await startLabEmulator();
  // npm test builds first; a run of this file alone builds when the sources are newer than out/
  if (headlessArgs(root)[0] !== join(root, 'out', 'main', 'headless.js')) build(root, 'the lab test runs the built server');
}, 180_000);
afterAll(() => emu.close());

interface Server {
  child: ChildProcess;
  url: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

async function startBuilt(dataDir: string): Promise<Server> {
  const args = headlessArgs(root);
  expect(args).toEqual([join(root, 'out', 'main', 'headless.js')]);
  expect(existsSync(join(root, 'out', 'main', 'lab-worker.js'))).toBe(true);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      BOT_DATA_DIR: dataDir,
      BOT_API_PORT: '0',
      BOT_MARKET: 'synthetic',
      BOT_REPLAY_SPEED: '20',
      BOT_EXCHANGE_API_URL: emu.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.resume();
  const deadline = Date.now() + 60_000;
  while (!/listening on (\S+)/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`the built server did not start: ${out}`);
  const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  return {
    child,
    url,
    async call(method, path, body) {
      const r = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, body: await r.json() };
    },
  };
}

async function waitJob(s: Server, id: number, until: (j: Job) => boolean): Promise<Job> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const j = (await s.call<Job>('GET', `/jobs/${id}`)).body;
    if (until(j)) return j;
    if (Date.now() > deadline) throw new Error(`job ${id} stayed ${j.state} at ${j.progress}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('the lab in the built app', () => {
  it('downloads and sweeps on the build’s worker threads; after kill -9 a running job is failed, the candles intact', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-lab-built-'));
    let s = await startBuilt(dataDir);
    try {
      const dl = await s.call<{ job: Job }>('POST', '/history/downloads', {
        symbol: 'ALT/BTC',
        timeframe: '1m',
        from: rows[0][0],
        to: rows.at(-1)![0],
      });
      expect(dl.status).toBe(200);
      expect((await waitJob(s, dl.body.job.id, (j) => j.state !== 'running')).state).toBe('done');

      const sweep = await s.call<{ job: Job }>('POST', '/sweeps', {
        symbol: 'ALT/BTC',
        timeframe: '1m',
        vary: { stop_loss_pct: { from: 0.5, to: 10, step: 0.1 }, take_profit_pct: [1, 2, 3, 4, 5] },
      });
      expect(sweep.status).toBe(200);
      await waitJob(s, sweep.body.job.id, (j) => j.progress > 0);
      s.child.kill('SIGKILL');
      await exited(s.child);

      s = await startBuilt(dataDir);
      const after = (await s.call<Job>('GET', `/jobs/${sweep.body.job.id}`)).body;
      expect(after.state).toBe('failed');
      expect(after.error).toMatch(/interrupted: BotDesk stopped while it ran/);
      const set = (await s.call<{ sets: HistorySet[] }>('GET', '/history')).body.sets.find((x) => x.symbol === 'ALT/BTC');
      expect(set?.candles).toBe(rows.length);
      const bt = await s.call<{ job: Job }>('POST', '/backtests', { symbol: 'ALT/BTC', timeframe: '1m' });
      expect((await waitJob(s, bt.body.job.id, (j) => j.state !== 'queued' && j.state !== 'running')).state).toBe('done');
    } finally {
      s.child.kill('SIGTERM');
      await exited(s.child);
    }
  }, 240_000);
});
