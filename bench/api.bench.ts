import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

interface Running { port: number; token: string; child: ChildProcess }

async function startWorker(variant: 'bare' | 'botdesk', env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-server.worker.ts', variant], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`${variant} server exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as { port: number; token: string }), child };
}

async function load(r: Running, connections: number, seconds: number): Promise<{ rps: number; p99: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${r.port}/api/v1/bot/status`,
    connections, duration: seconds, pipelining: 1,
    headers: r.token ? { Authorization: `Bearer ${r.token}` } : {},
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * GET /bot/status through the full stack (Host check, token check, real status object, output schema) against a
 * bare node:http server answering the same bytes. Each server in its own process, autocannon in this one;
 * alternating paired rounds, median ratio.
 */
export default async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const ours = await startWorker('botdesk');
  try {
    const res = await fetch(`http://127.0.0.1:${ours.port}/api/v1/bot/status`, { headers: { Authorization: `Bearer ${ours.token}` } });
    const bare = await startWorker('bare', { BENCH_BODY: await res.text() });
    try {
      for (const connections of [10, 100]) {
        await load(bare, connections, 1); // warm both
        await load(ours, connections, 1);
        const ratios: number[] = [];
        const p99s: number[] = [];
        let last = { bare: { rps: 0, p99: 0 }, ours: { rps: 0, p99: 0 } };
        for (let i = 0; i < rounds; i++) {
          const b = await load(bare, connections, seconds);
          const o = await load(ours, connections, seconds);
          ratios.push(o.rps / b.rps);
          p99s.push(o.p99);
          last = { bare: b, ours: o };
          console.log(`  ${connections} conn, round ${i + 1}: bare ${fmt(b.rps)} req/s (p99 ${b.p99} ms), BotDesk ${fmt(o.rps)} req/s (p99 ${o.p99} ms), ratio ${(o.rps / b.rps).toFixed(3)}`);
        }
        console.log(`GET /bot/status at ${connections} connections: BotDesk ${fmt(last.ours.rps)} req/s vs bare node:http ${fmt(last.bare.rps)} req/s`);
        console.log(`  ratio BotDesk/bare ${median(ratios).toFixed(3)} (median of ${rounds} paired rounds; target ≥ 0.7), BotDesk p99 ${median(p99s)} ms${connections === 100 ? ' (target ≤ 5 ms)' : ''}`);
      }
    } finally {
      bare.child.kill();
    }
  } finally {
    ours.child.kill();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
