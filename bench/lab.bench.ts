// npm run bench -- lab: the strategy lab (docs/contract.md §11).
//  1. A sweep of 64 runs over 100k real candles on every core, as a ratio to the same 64 runs on one worker thread:
//     parallel efficiency per core = T(1 thread) / (T(K threads) × K), paired rounds, median (target ≥ 0.8).
//  2. The bot's cycle time (paper, 100 candles/s, in this process) while nothing runs and while that sweep runs.
//  3. A history download of 100k 1m candles (100 pages) from the binance emulator, as a ratio to one page's round
//     trip × pages (and to ccxt's rate-limit floor, binance's 50 ms a request × pages).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { fileURLToPath } from 'node:url';
import { Lab } from '../src-main/engine/lab/lab';
import { EventBus } from '../src-main/engine/events/event-bus';
import { createLogger } from '../src-main/engine/log/logger';
import { CANDLE_STRIDE, type CandleSeries } from '../src-main/engine/feeds/candle-file';
import { createBotRuntime } from '../src-main/app/runtime';
import { DEFAULT_CONFIG, type BotEvent, type Job, type JobEvent } from '../src-shared/contract';
import { repeatedSeries } from './series';
import { startBinanceEmulator } from '../tests/exchange-emulator/server';
import { pointCcxtAt } from '../tests/exchange-emulator/ccxt-origin';

const ALT_1M = fileURLToPath(new URL('../tests/fixtures/candles/ALT_BTC-1m.json', import.meta.url));
const CANDLES = Number(process.env.BENCH_LAB_CANDLES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const rowsOf = (s: CandleSeries): number[][] =>
  Array.from({ length: s.count }, (_, i) => Array.from(s.data.subarray(i * CANDLE_STRIDE, (i + 1) * CANDLE_STRIDE)));

/** 64 runs: 8 stop-losses × 8 take-profits, the whole range in sample (each run one pass over every candle) */
const SWEEP = {
  symbol: 'ALT/BTC',
  timeframe: '1m' as const,
  vary: { stop_loss_pct: [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4], take_profit_pct: [1, 1.5, 2, 2.5, 3, 4, 5, 6] },
  out_of_sample_pct: 0,
};

function waitDone(events: EventBus, id: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = events.subscribe((e: BotEvent) => {
      if (e.type !== 'job' || (e.data as JobEvent).id !== id) return;
      const { state } = e.data as JobEvent;
      if (state === 'queued' || state === 'running') return;
      off();
      if (state === 'done') resolve();
      else reject(new Error(`job ${id} ${state}`));
    });
  });
}

/** wall time of one sweep, and the cores this process actually got meanwhile (CPU time of all its threads / wall) */
async function timedSweep(lab: Lab, events: EventBus): Promise<number> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const job: Job = lab.sweep(SWEEP);
  await waitDone(events, job.id);
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  lastCores = lastCpuMs / wall;
  return wall;
}
let lastCores = 0;
let lastCpuMs = 0;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const median = (xs: number[]) => pct(xs, 0.5);

export default async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-lab-'));
  const events = new EventBus();
  const logger = createLogger({ level: 'warn' });
  const threads = availableParallelism();
  const options = { dataDir, exchange: { id: 'binance', sandbox: false }, events, logger, baseConfig: () => DEFAULT_CONFIG };
  const labK = new Lab({ ...options, threads });
  const lab1 = new Lab({ ...options, threads: 1 });
  const series = repeatedSeries(CANDLES, ALT_1M);
  const rows = rowsOf(series);
  for (let i = 0; i < rows.length; i += 10_000)
    labK.importCandles({
      symbol: 'ALT/BTC',
      timeframe: '1m',
      candles: rows.slice(i, i + 10_000) as [number, number, number, number, number, number][],
    });

  // 1. parallel efficiency
  console.log(`sweep of 64 runs over ${series.count.toLocaleString('en-US')} real candles (ALT/BTC 1m repeated), ${threads} threads vs 1:`);
  const efficiencies: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const one = await timedSweep(lab1, events);
    const oneCores = lastCores;
    const oneCpu = lastCpuMs;
    const many = await timedSweep(labK, events);
    const eff = one / (many * threads);
    efficiencies.push(eff);
    cpuRatios.push(oneCpu / lastCpuMs);
    // cores obtained: a machine busy with other work gives the threads less than one core each
    console.log(
      `  round ${r + 1}: 1 thread ${(one / 1000).toFixed(2)} s (got ${oneCores.toFixed(2)} cores), ${threads} threads ${(many / 1000).toFixed(2)} s (got ${lastCores.toFixed(2)} cores), efficiency ${eff.toFixed(3)}`,
    );
  }
  console.log(`  parallel efficiency per core ${median(efficiencies).toFixed(3)} (median of ${ROUNDS} paired rounds; target ≥ 0.8)`);
  // what the threads cost beyond the work itself, whatever else the machine runs: CPU time of the 64 runs on one thread
  // over the same on every thread (1 = no overhead; wall-clock efficiency can only reach it when the cores are free)
  console.log(`  CPU time, 1 thread / ${threads} threads: ${median(cpuRatios).toFixed(3)} (median)`);

  // 2. the bot's cycle time beside the sweep
  const botDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-lab-bot-'));
  const runtime = await createBotRuntime({ dataDir: botDir, market: { kind: 'synthetic', seed: 3 }, replaySpeed: 100, logger });
  // each cycle ends by writing its candle's cursor: the time between two of those is the cycle time the trader sees
  const stamps: number[] = [];
  const setMeta = runtime.store.setMeta.bind(runtime.store);
  runtime.store.setMeta = (key: string, value: string) => {
    if (key === 'last_candle_ts') stamps.push(performance.now());
    setMeta(key, value);
  };
  const intervals = (from: number, to: number) =>
    stamps
      .filter((t) => t >= from && t <= to)
      .map((t, i, a) => (i ? t - a[i - 1] : NaN))
      .slice(1);
  await new Promise((r) => setTimeout(r, 500));
  const idleFrom = performance.now();
  await new Promise((r) => setTimeout(r, 4000));
  const idle = intervals(idleFrom, performance.now());
  const busyFrom = performance.now();
  const sweepMs = await timedSweep(labK, events);
  const busy = intervals(busyFrom, performance.now());
  await runtime.close();
  const line = (name: string, xs: number[]) =>
    `  ${name}: ${xs.length} cycles, interval p50 ${median(xs).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`;
  console.log(
    `bot cycle time (paper, synthetic, 100 candles/s = 10 ms apart) on this thread, while a ${threads}-thread sweep runs (${(sweepMs / 1000).toFixed(1)} s):`,
  );
  console.log(line('idle      ', idle));
  console.log(line('sweeping  ', busy));
  console.log(
    `  ratio sweeping/idle: p50 ${(median(busy) / median(idle)).toFixed(3)}, p99 ${(pct(busy, 0.99) / pct(idle, 0.99)).toFixed(3)}`,
  );

  // 3. history download vs the emulator's round trip
  const emu = await startBinanceEmulator();
  const dlRows = rowsOf(repeatedSeries(CANDLES, ALT_1M));
  emu.setCandles('XRP/USDT', '1m', dlRows);
  const client = new ccxt.binance({
    enableRateLimit: false,
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
  });
  pointCcxtAt(client, emu.url);
  await client.loadMarkets();
  const trips: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await client.fetchOHLCV('XRP/USDT', '1m', dlRows[(i * 1000) % (dlRows.length - 1000)][0], 1000);
    trips.push(performance.now() - t);
  }
  const rtt = median(trips);
  const dlLab = new Lab({
    ...options,
    dataDir: mkdtempSync(join(tmpdir(), 'botdesk-bench-lab-dl-')),
    exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
  });
  // warm: the worker starts and loads the markets once (as after the first download of a session)
  await dlLab.download({ symbol: 'ETH/USDT', timeframe: '1d', from: Date.now() - 3 * 86_400_000 });
  await new Promise((r) => setTimeout(r, 500));
  const pages = Math.ceil(dlRows.length / 1000);
  const t = performance.now();
  const job = await dlLab.download({ symbol: 'XRP/USDT', timeframe: '1m', from: dlRows[0][0], to: dlRows.at(-1)![0] });
  await waitDone(events, job.id);
  const took = performance.now() - t;
  const got = dlLab.getJob(job.id).result as { added: number; requests: number };
  console.log(
    `history download of ${got.added.toLocaleString('en-US')} 1m candles in ${got.requests} requests from the emulator: ${(took / 1000).toFixed(2)} s`,
  );
  console.log(
    `  one page's round trip ${rtt.toFixed(1)} ms (median of 30): ratio to round trip × pages ${(took / (rtt * pages)).toFixed(2)}`,
  );
  console.log(`  ratio to ccxt's rate-limit floor (50 ms × pages, enableRateLimit on): ${(took / (50 * pages)).toFixed(2)}`);
  dlLab.close();
  await emu.close();
  labK.close();
  lab1.close();
  for (const d of [dataDir, botDir]) rmSync(d, { recursive: true, force: true });
}
