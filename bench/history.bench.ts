import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../src-main/engine/adapters/sqlite/sql-driver';
import { encodeTradeCursor } from '../src-main/operations/trade-cursor';
import { historySeries, seedHistory } from '../tests/helpers/seed-history';
import { bundleWorker, pinThisProcess, startWorker, type Worker } from './pinning';

type Server = Worker<{ port: number; token: string }>;

const SIZES = (process.env.BENCH_HISTORY_SIZES ?? '1000,100000,1000000').split(',').map(Number);
const FIVE_MINUTES = 300_000;
const DAY = 86_400_000;

async function load(s: Server, path: string, seconds: number) {
  const cpuBefore = await s.cpuMicros();
  const result = await autocannon({
    url: `http://127.0.0.1:${s.ready.port}${path}`,
    connections: 10,
    duration: seconds,
    pipelining: 1,
    headers: { Authorization: `Bearer ${s.ready.token}` },
  });
  const cpu = (await s.cpuMicros()) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, cpuPerRequest: cpu / Math.max(1, result.requests.average * seconds) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The routes a dashboard, scripts and Prometheus poll, with the query parameters that need the seeded database. */
function routesFor(dataDir: string, lastTs: number): [string, string][] {
  const db = openDatabase(join(dataDir, 'botdesk.sqlite'), { readonly: true });
  try {
    const keys = db.prepare(`SELECT exit_time, id FROM trades ORDER BY exit_time DESC, id DESC`).all() as {
      exit_time: number;
      id: number;
    }[];
    const at = (f: number) => keys[Math.min(keys.length - 1, Math.floor(keys.length * f))];
    const deep = at(0.75);
    const range = [at(0.6), at(0.4)];
    return [
      ['stats', '/api/v1/bot/stats'],
      ['equity whole', '/api/v1/bot/equity?limit=500'],
      ['equity one day', `/api/v1/bot/equity?limit=500&from=${lastTs - DAY}&to=${lastTs}`],
      ['trades first page', '/api/v1/bot/trades?limit=100'],
      ['trades deep page', `/api/v1/bot/trades?limit=100&cursor=${encodeTradeCursor(deep, {})}`],
      ['trades from/to', `/api/v1/bot/trades?limit=100&from=${range[0].exit_time}&to=${range[1].exit_time}`],
      ['logs', '/api/v1/bot/logs?level=info&limit=100'],
      ['metrics', '/metrics'],
    ];
  } finally {
    db.close();
  }
}

/**
 * Monitoring routes over a growing history: a data directory seeded through the engine's own write path (trading core,
 * executor, paper exchange, store) with 1,000 / 100,000 / 1,000,000 five-minute candles of real XRP/USDT (repeated),
 * one equity point each and the trades they make; then each route's req/s as a ratio to GET /bot/status on the same
 * server in the same round (paired rounds, server pinned to core 1, autocannon on core 0, 10 connections), median of
 * the rounds. Target: every ratio ≥ 0.5 at every size, and no ratio falling as the history grows (the slope, per
 * tenfold growth, printed last).
 */
export default async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  pinThisProcess(0);
  const worker = await bundleWorker('bench/api-server.worker.ts');
  const table = new Map<string, number[]>();
  const cpuTable = new Map<string, number[]>();
  for (const size of SIZES) {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-history-'));
    try {
      const t0 = performance.now();
      const seeded = seedHistory({ dataDir, series: historySeries(size, FIVE_MINUTES) });
      console.log(`  ${fmt(size)} equity points, ${fmt(seeded.trades)} trades seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const routes = routesFor(dataDir, seeded.lastTs);
      const server: Server = await startWorker(worker, ['botdesk'], 1, { BENCH_DATA_DIR: dataDir, BENCH_LOG_LEVEL: 'info' });
      try {
        for (const [name, path] of routes) {
          await load(server, '/api/v1/bot/status', 1); // warm both
          await load(server, path, 1);
          const ratios: number[] = [];
          const cpuRatios: number[] = [];
          const cpu: number[] = [];
          for (let i = 0; i < rounds; i++) {
            const base = await load(server, '/api/v1/bot/status', seconds);
            const route = await load(server, path, seconds);
            ratios.push(route.rps / base.rps);
            cpu.push(route.cpuPerRequest);
            cpuRatios.push(base.cpuPerRequest / route.cpuPerRequest);
            console.log(
              `    ${name}, round ${i + 1}: status ${fmt(base.rps)} req/s (${base.cpuPerRequest.toFixed(0)} µs CPU/req), route ${fmt(route.rps)} req/s (${route.cpuPerRequest.toFixed(0)} µs CPU/req), ratio ${(route.rps / base.rps).toFixed(3)}`,
            );
          }
          const ratio = median(ratios);
          table.set(name, [...(table.get(name) ?? []), ratio]);
          cpuTable.set(name, [...(cpuTable.get(name) ?? []), median(cpuRatios)]);
          console.log(
            `  ${fmt(size)} points: ${name.padEnd(18)} ratio to /bot/status ${ratio.toFixed(3)} in req/s, ${median(cpuRatios).toFixed(3)} in CPU per request (median of ${rounds}; target ≥ 0.5); ${median(cpu).toFixed(0)} µs server CPU per request`,
          );
        }
      } finally {
        server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(
    `\nratio to GET /bot/status by history size (${SIZES.map(fmt).join(' / ')} equity points), in req/s and in server CPU per request, with the slope per tenfold growth (target: ratios ≥ 0.5, slope ≥ 0 within noise):`,
  );
  const logs = SIZES.map((s) => Math.log10(s));
  for (const [name, ratios] of table) {
    const cpu = cpuTable.get(name) ?? [];
    console.log(
      `  ${name.padEnd(18)} req/s ${ratios.map((r) => r.toFixed(3)).join(' / ')} (slope ${slope(logs, ratios).toFixed(3)})   CPU ${cpu.map((r) => r.toFixed(3)).join(' / ')} (slope ${slope(logs, cpu).toFixed(3)})`,
    );
  }
}

/** least-squares slope of y over x */
function slope(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 2) return 0;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}
