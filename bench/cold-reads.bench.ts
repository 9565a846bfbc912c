import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { historySeries, seedHistory } from '../tests/helpers/seed-history';
import { bundleWorker, pinThisProcess, startWorker, type Worker } from './pinning';
import { coldRoutes, FIVE_MINUTES, type ColdRoute } from './cold-routes';

type Server = Worker<{ port: number; token: string }>;

const SIZES = (process.env.BENCH_HISTORY_SIZES ?? '1000,100000,1000000').split(',').map(Number);

async function load(s: Server, route: ColdRoute, seconds: number) {
  const cpuBefore = await s.cpuMicros();
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${s.ready.port}${route.next(0)}`,
    connections: 10,
    duration: seconds,
    pipelining: 1,
    headers: { Authorization: `Bearer ${s.ready.token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: route.next(i++) }) }],
  });
  const cpu = (await s.cpuMicros()) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${route.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const answered = Math.max(1, result.requests.average * seconds);
  // bytes per answer, headers included: writing the answer to the socket is part of its server CPU
  return {
    rps: result.requests.average,
    cpuPerRequest: cpu / answered,
    distinct: i,
    bytes: result.throughput.average / result.requests.average,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/**
 * Cold history reads (issue 21, item 3): pages that no answer cache has seen — every request another cursor, another
 * window, another page size, and the server's answer cache off — over 1,000 / 100,000 / 1,000,000 seeded equity points
 * (and their trades), against GET /bot/status on the same server in the same round (paired rounds, server pinned to
 * core 1, autocannon on core 0, 10 connections). Targets: ≤ 150 µs of server CPU per request, ≥ 0.2 of /bot/status in
 * req/s.
 */
export default async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  pinThisProcess(0);
  const worker = await bundleWorker('bench/api-server.worker.ts');
  const summary: string[] = [];
  for (const size of SIZES) {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-cold-'));
    try {
      const t0 = performance.now();
      const seeded = seedHistory({ dataDir, series: historySeries(size, FIVE_MINUTES) });
      console.log(`  ${fmt(size)} equity points, ${fmt(seeded.trades)} trades seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const [status, ...all] = coldRoutes(dataDir, seeded.firstTs, seeded.lastTs);
      // BENCH_COLD_ROUTES=equity,logs: only the routes whose name has one of these words (for a quicker look at one)
      const only = process.env.BENCH_COLD_ROUTES?.split(',');
      const routes = only ? all.filter((r) => only.some((w) => r.name.includes(w))) : all;
      const server: Server = await startWorker(worker, ['botdesk'], 1, {
        BENCH_DATA_DIR: dataDir,
        BENCH_LOG_LEVEL: 'info',
        BENCH_ANSWER_CACHE: 'off',
      });
      try {
        // what the server burns with no request (the bot's cycles, timers) is in the CPU counter too: measured once per
        // server, after a warm-up, so each figure can also be given net of it (the raw figure stays the one judged)
        await load(server, status, 1);
        const idle0 = await server.cpuMicros();
        await new Promise((r) => setTimeout(r, 3000));
        const idlePerSecond = ((await server.cpuMicros()) - idle0) / 3;
        console.log(`    idle server: ${(idlePerSecond / 1000).toFixed(1)} ms of CPU per second`);
        for (const route of routes) {
          await load(server, status, 1); // warm both
          await load(server, route, 1);
          const ratios: number[] = [];
          const cpu: number[] = [];
          const net: number[] = [];
          const baseCpu: number[] = [];
          let bytes = 0;
          for (let r = 0; r < rounds; r++) {
            const base = await load(server, status, seconds);
            const cold = await load(server, route, seconds);
            ratios.push(cold.rps / base.rps);
            cpu.push(cold.cpuPerRequest);
            net.push(cold.cpuPerRequest - idlePerSecond / cold.rps);
            baseCpu.push(base.cpuPerRequest);
            bytes = cold.bytes;
            console.log(
              `    ${route.name}, round ${r + 1}: status ${fmt(base.rps)} req/s (${base.cpuPerRequest.toFixed(0)} µs CPU/req), cold ${fmt(cold.rps)} req/s (${cold.cpuPerRequest.toFixed(0)} µs CPU/req, ${fmt(cold.distinct)} requests), ratio ${(cold.rps / base.rps).toFixed(3)}`,
            );
          }
          // the CPU ratio is the steadier one on a loaded machine (req/s there is often the load generator's limit)
          const cpuRatio = median(baseCpu.map((b, r) => b / cpu[r]));
          const line = `${fmt(size).padStart(9)} points: ${route.name.padEnd(24)} ${median(cpu).toFixed(0).padStart(4)} µs server CPU per request (status ${median(baseCpu).toFixed(0)} µs; target ≤ 150), ratio to /bot/status ${median(ratios).toFixed(3)} in req/s (target ≥ 0.2), ${cpuRatio.toFixed(3)} in CPU per request; net of the idle server ${median(net).toFixed(0)} µs; ${(bytes / 1000).toFixed(1)} kB an answer`;
          summary.push(line);
          console.log(`  ${line}`);
        }
      } finally {
        server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`\ncold history reads, every request different, answer cache off (median of ${rounds} paired rounds):`);
  for (const line of summary) console.log(`  ${line}`);
}
