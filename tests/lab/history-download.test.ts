// History downloads (docs/contract.md §11): the real ccxt binance client in a worker thread pages the emulator's
// klines; the set equals the exchange's candles exactly (gaps found and reported) after a network fault, a cancel
// and a restart in between; what is kept is extended, never fetched again; a market the exchange lacks is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinanceEmulator } from '../exchange-emulator/server';
import type { ApiHarness } from '../helpers/api-harness';
import { connectEvents } from '../helpers/ws-client';
import type { HistorySet, Job } from '../../src-shared/contract';
import { altRows, finishedJob, gapsOf, startLabApi, startLabEmulator } from './lab-helpers';

const rows = altRows();
const first = rows[0][0];
const last = rows.at(-1)![0];
const klines = { method: 'GET', path: '/api/v3/klines' };

let emu: BinanceEmulator;
/** one server for the tests that need no restart: its download worker (and ccxt's markets) serve them all */
let h: ApiHarness;
beforeAll(async () => {
  emu = await startLabEmulator();
  h = await startLabApi(emu);
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

const altSet = async (h: ApiHarness) =>
  (await h.call<{ sets: HistorySet[] }>('GET', '/history')).body.sets.find((s) => s.symbol === 'ALT/BTC');

describe('history download', () => {
  it('pages the whole range through a dropped connection, reports the gaps, and keeps the job and its events', async () => {
    const stream = await connectEvents(h.url.replace('http', 'ws') + '/ws/events?types=job', {
      headers: { Authorization: `Bearer ${h.token}` },
    });
    try {
      emu.clearRequests();
      // the third page's connection is cut twice: the download retries it and goes on
      void emu
        .waitForRequest(klines, { count: 3, timeoutMs: 60_000 })
        .then(() => emu.fault({ kind: 'drop', mode: 'destroy', path: '/api/v3/klines', times: 2 }));
      const started = await h.call<{ success: boolean; job: Job }>('POST', '/history/downloads', {
        symbol: 'ALT/BTC',
        timeframe: '1m',
        from: new Date(first).toISOString(),
        to: last,
      });
      expect(started.status).toBe(200);
      expect(started.body.job).toMatchObject({ kind: 'download', state: 'running' });
      const job = await finishedJob(h, started.body.job.id);
      expect(job.state).toBe('done');
      const result = job.result as { set: HistorySet; added: number; requests: number };
      expect(result.added).toBe(rows.length);
      // 14 pages of 1,000 (the emulator jumps over the gaps as binance does) plus the two retries
      expect(result.requests).toBe(Math.ceil(rows.length / 1000) + 2);
      const set = await altSet(h);
      expect(set).toEqual({
        exchange: 'binance',
        symbol: 'ALT/BTC',
        timeframe: '1m',
        from: first,
        to: last,
        candles: rows.length,
        gaps: gapsOf(rows, 60_000),
      });
      expect(set!.gaps.length).toBeGreaterThan(10);
      const states = stream.events.filter((e) => e.type === 'job').map((e) => (e.data as { state: string }).state);
      expect(states[0]).toBe('running');
      expect(states.at(-1)).toBe('done');

      // asked again: nothing is fetched twice, only the exchange's market list is read
      emu.clearRequests();
      const again = await h.call<{ job: Job }>('POST', '/history/downloads', { symbol: 'ALT/BTC', timeframe: '1m', from: first, to: last });
      const second = await finishedJob(h, again.body.job.id);
      expect(second.result).toMatchObject({ added: 0, requests: 0 });
      expect(emu.requests(klines)).toHaveLength(0);
    } finally {
      stream.ws.terminate();
    }
  });

  it('a cancelled download and a restart resume where they stopped: no candle twice, none missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-lab-resume-'));
    let h2 = await startLabApi(emu, dataDir);
    try {
      emu.clearRequests();
      emu.fault({ kind: 'delay', delayMs: 80, path: '/api/v3/klines', times: Infinity });
      const started = await h2.call<{ job: Job }>('POST', '/history/downloads', {
        symbol: 'ALT/BTC',
        timeframe: '1m',
        from: first,
        to: last,
      });
      await emu.waitForRequest(klines, { count: 4, timeoutMs: 60_000 });
      const cancelled = await h2.call<{ job: Job }>('DELETE', `/jobs/${started.body.job.id}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.job.state).toBe('cancelled');
      expect((await h2.call('DELETE', `/jobs/${started.body.job.id}`)).status).toBe(409);
      // the page in flight is kept whole; then nothing more
      const part = await altSet(h2);
      expect(part!.candles).toBeGreaterThan(0);
      expect(part!.candles).toBeLessThan(rows.length);

      // a second part, then BotDesk stops in the middle of it
      const more = await h2.call<{ job: Job }>('POST', '/history/downloads', { symbol: 'ALT/BTC', timeframe: '1m', from: first, to: last });
      const seen = emu.requests(klines).length;
      await emu.waitForRequest(klines, { count: seen + 3, timeoutMs: 60_000 });
      await h2.close();
      h2 = await startLabApi(emu, dataDir);
      const afterRestart = (await h2.call<Job>('GET', `/jobs/${more.body.job.id}`)).body;
      expect(afterRestart.state).toBe('cancelled');
      expect(afterRestart.error).toMatch(/BotDesk stopped/);

      emu.clearFaults();
      emu.clearRequests();
      const before = (await altSet(h2))!.candles;
      const resumed = await h2.call<{ job: Job }>('POST', '/history/downloads', {
        symbol: 'ALT/BTC',
        timeframe: '1m',
        from: first,
        to: last,
      });
      const done = await finishedJob(h2, resumed.body.job.id);
      expect(done.state).toBe('done');
      expect((done.result as { added: number }).added).toBe(rows.length - before);
      // it started after the candles already kept
      const since = Number(emu.requests(klines)[0].params.startTime);
      expect(since).toBeGreaterThan(first);
      const set = await altSet(h2);
      expect(set).toMatchObject({ from: first, to: last, candles: rows.length, gaps: gapsOf(rows, 60_000) });
    } finally {
      emu.clearFaults();
      await h2.close();
    }
  });

  it('refuses a market the exchange does not have, a timeframe it lacks, a window upside down, and a second download of a set', async () => {
    const jobsBefore = (await h.call<{ jobs: Job[] }>('GET', '/jobs')).body.jobs.length;
    const unknown = await h.call('POST', '/history/downloads', { symbol: 'NOPE/USDT', timeframe: '1h', from: first });
    expect(unknown.status, unknown.text).toBe(400);
    expect(unknown.body.fields.symbol).toMatch(/binance has no market NOPE\/USDT/);
    const upside = await h.call('POST', '/history/downloads', { symbol: 'ALT/BTC', timeframe: '1m', from: last, to: first });
    expect(upside.status).toBe(400);
    expect(upside.body.fields).toHaveProperty('from');
    const badTf = await h.call('POST', '/history/downloads', { symbol: 'ALT/BTC', timeframe: '7m', from: first });
    expect(badTf.status).toBe(400);
    expect(badTf.body.fields).toHaveProperty('timeframe');
    // nothing was started for them
    expect((await h.call<{ jobs: Job[] }>('GET', '/jobs')).body.jobs).toHaveLength(jobsBefore);
    // two downloads of one set at once: one runs, the other is told so
    const body = { symbol: 'ETH/USDT', timeframe: '1h', from: Date.now() - 86_400_000 };
    const both = await Promise.all([h.call('POST', '/history/downloads', body), h.call('POST', '/history/downloads', body)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const job = both.find((r) => r.status === 200)!.body.job as Job;
    expect((await finishedJob(h, job.id)).state).toBe('done');
    expect(both.find((r) => r.status === 409)!.body.error).toMatch(/already running/);
  });
});
