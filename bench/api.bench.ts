import autocannon from 'autocannon';
import { bundleWorker, pinThisProcess, startWorker, type Worker } from './pinning';

type Server = Worker<{ port: number; token: string }>;

async function load(s: Server, connections: number, seconds: number) {
  const cpuBefore = await s.cpuMicros();
  const result = await autocannon({
    url: `http://127.0.0.1:${s.ready.port}/api/v1/bot/status`,
    connections,
    duration: seconds,
    pipelining: 1,
    headers: s.ready.token ? { Authorization: `Bearer ${s.ready.token}` } : {},
  });
  const cpu = (await s.cpuMicros()) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, cpuPerRequest: cpu / (result.requests.average * seconds) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * GET /bot/status through the full stack (Host check, token check, real status object, output schema) against a
 * bare node:http server answering the same bytes. Both run from one esbuild bundle as the app ships (no tsx), each
 * server in its own process pinned to core 1, autocannon here
 * on core 0; alternating paired rounds, median ratio; server CPU time per request beside req/s (the steadiest figure).
 */
export default async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  pinThisProcess(0);
  const worker = await bundleWorker('bench/api-server.worker.ts');
  const ours: Server = await startWorker(worker, ['botdesk'], 1);
  try {
    const res = await fetch(`http://127.0.0.1:${ours.ready.port}/api/v1/bot/status`, {
      headers: { Authorization: `Bearer ${ours.ready.token}` },
    });
    const bare: Server = await startWorker(worker, ['bare'], 1, { BENCH_BODY: await res.text() });
    try {
      for (const connections of [10, 100]) {
        await load(bare, connections, 1); // warm both
        await load(ours, connections, 1);
        const ratios: number[] = [];
        const cpuRatios: number[] = [];
        const p99s: number[] = [];
        for (let i = 0; i < rounds; i++) {
          const b = await load(bare, connections, seconds);
          const o = await load(ours, connections, seconds);
          ratios.push(o.rps / b.rps);
          cpuRatios.push(b.cpuPerRequest / o.cpuPerRequest);
          p99s.push(o.p99);
          console.log(
            `  ${connections} conn, round ${i + 1}: bare ${fmt(b.rps)} req/s (${b.cpuPerRequest.toFixed(1)} µs CPU/req, p99 ${b.p99} ms), BotDesk ${fmt(o.rps)} req/s (${o.cpuPerRequest.toFixed(1)} µs CPU/req, p99 ${o.p99} ms), ratio ${(o.rps / b.rps).toFixed(3)}`,
          );
        }
        console.log(
          `GET /bot/status at ${connections} connections: ratio BotDesk/bare ${median(ratios).toFixed(3)} in req/s, ${median(cpuRatios).toFixed(3)} in CPU per request (median of ${rounds} paired rounds; target ≥ 0.7); BotDesk p99 ${median(p99s)} ms${connections === 100 ? ' (target ≤ 5 ms)' : ''}`,
        );
      }
    } finally {
      bare.stop();
    }
  } finally {
    ours.stop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
