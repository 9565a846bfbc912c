// Backtest and sweep jobs (docs/contract.md §11) over candles imported in the backtest CLI's format, on the real
// server: the result is what the CLI prints for the same candles and config (one engine, one code path), a sweep ranks
// every combination by in-sample profit with each one's out-of-sample stats, progress and states come as `job`
// events, a cancel stops the workers, results outlive a restart, and bad input is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { connectEvents } from '../helpers/ws-client';
import { XRP_1H, XRP_5M } from '../helpers/candles';
import { runBacktest } from '../../src-main/engine/backtest/backtest';
import { parseCandles } from '../../src-main/engine/feeds/candle-file';
import type { BacktestResultData, HistorySet, Job, JobEvent, Stats, SweepResult } from '../../src-shared/contract';
import { altRows, finishedJob, importRows, xrpRows } from './lab-helpers';
import { runCtl } from '../../src-main/cli/ctl/run';
import { waitFor } from '../helpers/wait';

const root = resolve(import.meta.dirname, '../..');
const xrp = xrpRows();
const alt = altRows();
const profit = (s: Stats) => s.equity - s.start_equity;

let h: ApiHarness;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-lab-jobs-'));
  h = await startApi({ dataDir, runtime: { lab: { threads: 2 } } });
  await importRows(h, 'XRP/USDT', '5m', xrp);
  await importRows(h, 'ALT/BTC', '1m', alt);
});
afterAll(() => h.close());

describe('backtest jobs', () => {
  it("answer what the CLI's backtest prints for the same candles and config, and keep it across a restart", async () => {
    const stream = await connectEvents(h.url.replace('http', 'ws') + '/ws/events?types=job', {
      headers: { Authorization: `Bearer ${h.token}` },
    });
    const started = await h.call<{ job: Job }>('POST', '/backtests', {
      symbol: 'XRP/USDT',
      timeframe: '5m',
      config: { stop_loss_pct: 2, take_profit_pct: 4 },
    });
    expect(started.status).toBe(200);
    expect(started.body.job).toMatchObject({ kind: 'backtest', progress: 0 });
    const job = await finishedJob(h, started.body.job.id);
    expect(job.state).toBe('done');
    const result = job.result as BacktestResultData;
    expect(result.config).toMatchObject({ symbol: 'XRP/USDT', timeframe: '5m', stop_loss_pct: 2, take_profit_pct: 4, enabled: true });
    expect(result.stats.trades_count).toBeGreaterThan(0);

    // the CLI on the fixture file with the job's config: the same document
    const configFile = join(dataDir, 'job-config.json');
    writeFileSync(configFile, JSON.stringify(result.config));
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/backtest.ts', '--candles', XRP_5M, '--config', configFile, '--json'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(result);

    const events = stream.events
      .filter((e) => e.type === 'job' && (e.data as JobEvent).id === job.id)
      .map((e) => (e.data as JobEvent).state);
    expect(events[0]).toBe('queued');
    expect(events.at(-1)).toBe('done');
    stream.ws.terminate();

    // the list leaves results out; the job keeps its result after a restart
    const listed = (await h.call<{ jobs: Job[] }>('GET', '/jobs?kind=backtest')).body.jobs.find((j) => j.id === job.id);
    expect(listed).toBeDefined();
    expect(listed!.result).toBeUndefined();
    await h.close();
    h = await startApi({ dataDir, runtime: { lab: { threads: 2 } } });
    expect((await h.call<Job>('GET', `/jobs/${job.id}`)).body).toEqual(job);
  });
});

describe('the terminal client', () => {
  it('lists the sets, starts a backtest and shows the job with its result', async () => {
    const env = { BOT_API_URL: h.url, BOT_API_TOKEN_FILE: join(dataDir, 'api-token') };
    const ctl = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCtl(args, { env, out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    const history = await ctl('history');
    expect(history.code, history.err).toBe(0);
    expect(history.out).toMatch(/binance\s+XRP\/USDT\s+5m\s+2021-11-15 .*\s1999\s+0/);
    const imported = await ctl('history', 'import', XRP_1H);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toMatch(/^100 new candles; the set now holds 100 \(0 gaps\)/);
    expect((await ctl('history')).out).toMatch(/binance\s+XRP\/USDT\s+1h\s.*\s100\s+0/);
    expect((await ctl('history', 'import', XRP_1H, 'XRP/USDT')).code).toBe(2);
    const started = await ctl('--json', 'backtest', 'XRP/USDT', '5m', '--config', '{"stop_loss_pct":2.5}');
    expect(started.code, started.err).toBe(0);
    const job = JSON.parse(started.out).job as Job;
    await finishedJob(h, job.id);
    expect((await h.call<Job>('GET', `/jobs/${job.id}`)).body.request.config).toEqual({ stop_loss_pct: 2.5 });
    const shown = await ctl('job', String(job.id));
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(new RegExp(`job #${job.id} backtest XRP/USDT 5m: done[\\s\\S]*profit factor`));
    expect((await ctl('jobs', '--kind', 'backtest')).out).toMatch(
      new RegExp(`^\\s*${job.id}\\s+backtest\\s+XRP/USDT 5m\\s+done\\s+100 %`, 'm'),
    );
    const refused = await ctl('sweep', 'XRP/USDT', '5m', 'vary={"colour":[1]}');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/vary\.colour/);
  });
});

describe('sweeps', () => {
  it('rank every combination by in-sample profit, each run again on the out-of-sample part', async () => {
    const started = await h.call<{ job: Job }>('POST', '/sweeps', {
      symbol: 'XRP/USDT',
      timeframe: '5m',
      vary: { stop_loss_pct: { from: 1, to: 3, step: 1 }, 'strategy.params.fast': [5, 9], 'strategy.params.slow': [8, 21] },
      out_of_sample_pct: 30,
    });
    expect(started.status).toBe(200);
    const job = await finishedJob(h, started.body.job.id);
    expect(job.state).toBe('done');
    const result = job.result as SweepResult;
    // fast 9 / slow 8 breaks fast < slow: 3 of the 12 are skipped and said why
    expect(result.runs).toHaveLength(9);
    expect(result.skipped).toHaveLength(3);
    expect(result.skipped[0].reason).toMatch(/fast must be smaller than slow/);
    const profits = result.runs.map((r) => profit(r.in_sample));
    expect(profits).toEqual([...profits].sort((a, b) => b - a));
    expect(new Set(profits).size).toBeGreaterThan(1);

    // the split: the last 30 % of the time range, each part run from the same balance by the one engine
    const span = xrp.at(-1)![0] - xrp[0][0];
    const split = Math.floor(xrp.at(-1)![0] - span * 0.3);
    expect(result.out_of_sample).toEqual({ from: split, to: xrp.at(-1)![0] });
    expect(result.in_sample).toEqual({ from: xrp[0][0], to: split - 1 });
    const series = (rows: typeof xrp) => parseCandles(rows);
    const inRows = xrp.filter((r) => r[0] < split);
    const outRows = xrp.filter((r) => r[0] >= split);
    for (const run of [result.runs[0], result.runs.at(-1)!]) {
      const config = (await h.call('GET', '/bot/config')).body;
      const { version: _v, ...base } = config;
      const strategy = {
        ...base.strategy,
        params: { ...base.strategy.params, fast: run.params['strategy.params.fast'], slow: run.params['strategy.params.slow'] },
      };
      const c = { ...base, symbol: 'XRP/USDT', timeframe: '5m', enabled: true, stop_loss_pct: run.params.stop_loss_pct, strategy };
      expect((await runBacktest({ series: series(inRows), config: c })).stats).toEqual(run.in_sample);
      expect((await runBacktest({ series: series(outRows), config: c })).stats).toEqual(run.out_of_sample);
    }
  });

  it('can be cancelled while its workers run; the next job runs after it', async () => {
    const stream = await connectEvents(h.url.replace('http', 'ws') + '/ws/events?types=job', {
      headers: { Authorization: `Bearer ${h.token}` },
    });
    const started = await h.call<{ job: Job }>('POST', '/sweeps', {
      symbol: 'ALT/BTC',
      timeframe: '1m',
      vary: { stop_loss_pct: { from: 0.5, to: 5, step: 0.1 }, take_profit_pct: [1, 2, 3, 4] },
    });
    const id = started.body.job.id;
    // the first progress event: runs are finishing on the workers
    const deadline = Date.now() + 60_000;
    while (
      !stream.events.some((e) => e.type === 'job' && (e.data as JobEvent).id === id && (e.data as JobEvent).progress > 0) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    // the bot's own loop goes on beside the workers: its cycles keep coming while the sweep runs
    const lastCycle = async () => (await h.call<{ last_cycle_at: number }>('GET', '/bot/status')).body.last_cycle_at;
    const seen = await lastCycle();
    const later = await waitFor(async () => ((await lastCycle()) > seen ? true : null), 'a bot cycle during the sweep', 10_000, 50);
    expect(later).toBe(true);
    expect((await h.call<Job>('GET', `/jobs/${id}`)).body.state).toBe('running');
    const cancelled = await h.call<{ job: Job }>('DELETE', `/jobs/${id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job.state).toBe('cancelled');
    expect(cancelled.body.job.progress).toBeGreaterThan(0);
    expect(cancelled.body.job.progress).toBeLessThan(1);
    expect(cancelled.body.job.result).toBeUndefined();
    stream.ws.terminate();
    const next = await h.call<{ job: Job }>('POST', '/backtests', { symbol: 'ALT/BTC', timeframe: '1m' });
    expect((await finishedJob(h, next.body.job.id)).state).toBe('done');
    expect((await h.call('DELETE', '/jobs/999999')).status).toBe(404);
  });

  it('refuse a range with no candles, a key that is not a config key, more than 10,000 runs and a market never kept', async () => {
    const bad = async (path: string, body: object) => {
      const r = await h.call(path === 'b' ? 'POST' : 'POST', path === 'b' ? '/backtests' : '/sweeps', body);
      expect(r.status, r.text).toBe(400);
      return r.body as { error: string; fields: Record<string, string> };
    };
    const market = { symbol: 'XRP/USDT', timeframe: '5m' };
    const empty = await bad('b', { ...market, from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' });
    expect(Object.keys(empty.fields).sort()).toEqual(['from', 'to']);
    expect(empty.fields.from).toMatch(/no candles of XRP\/USDT 5m between 2030-01-01/);
    expect((await bad('s', { ...market, vary: { leverage: [1, 2] } })).fields).toHaveProperty(['vary.leverage']);
    const many = await bad('s', {
      ...market,
      vary: { stop_loss_pct: { from: 0.1, to: 50, step: 0.1 }, take_profit_pct: { from: 1, to: 100, step: 1 } },
    });
    expect(many.error).toMatch(/50,000 runs/);
    expect((await bad('s', { ...market, vary: { a: [1], b: [1], c: [1], d: [1] } })).fields).toHaveProperty('vary');
    const never = await bad('b', { symbol: 'ETH/USDT', timeframe: '5m' });
    expect(never.fields.symbol).toMatch(/download or import them first/);
    expect((await bad('b', { ...market, config: { stop_loss_pct: 0 } })).fields).toHaveProperty(['config.stop_loss_pct']);
    expect((await bad('b', { ...market, config: { symbol: 'ETH/USDT' } })).fields).toHaveProperty(['config.symbol']);
    const offGrid = await h.call('POST', '/history/imports', { ...market, candles: [[xrp[0][0] + 1, 1, 1, 1, 1, 0]] });
    expect(offGrid.status).toBe(400);
    expect(offGrid.body.fields.candles).toMatch(/not on the 5m grid/);
    const sets = (await h.call<{ sets: HistorySet[] }>('GET', '/history')).body.sets;
    expect(sets.find((s) => s.symbol === 'XRP/USDT' && s.timeframe === '5m')).toMatchObject({ candles: xrp.length, gaps: [] });
  });
});
