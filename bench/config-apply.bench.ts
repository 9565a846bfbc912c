import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../src-main/app/runtime';
import { createApiServer } from '../src-main/server/api-server';
import { createLogger } from '../src-main/engine/log/logger';
import { sampleCandlesPath } from '../src-main/app/runtime';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/**
 * Hot reload: from the moment a PUT /bot/config response arrives to the first trading cycle that runs under the new
 * version, in replay at full speed. Cycles are timed by wrapping the core's processCandle (bench-only instrumentation).
 * Baseline in the same run: the median interval between two cycles of the loop itself.
 */
export default async function run(): Promise<void> {
  const trials = Number(process.env.BENCH_TRIALS ?? 200);
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-cfg-'));
  const logger = createLogger({ level: 'warn' });
  const token = 'bench-token-0123456789abcdefghijklmnop';
  const runtime = await createBotRuntime({ dataDir, market: { kind: 'replay', path: sampleCandlesPath() }, replaySpeed: 'max', logger });
  const api = await createApiServer({
    handlers: runtime.handlers,
    events: runtime.events,
    logger,
    controlToken: token,
    host: '127.0.0.1',
    port: 0,
  });
  const core = runtime.bot.core;
  const cycles: { at: number; version: number }[] = [];
  const original = core.processCandle.bind(core);
  core.processCandle = (ts, o, h, l, c) => {
    cycles.push({ at: performance.now(), version: runtime.bot.status().applied_config_version ?? 0 });
    const r = original(ts, o, h, l, c);
    cycles[cycles.length - 1].version = runtime.bot.status().applied_config_version ?? 0;
    return r;
  };
  try {
    await fetch(`${api.url}/api/v1/bot/start`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    const latencies: number[] = [];
    let laterCycles = 0;
    for (let i = 0; i < trials; i++) {
      const res = await fetch(`${api.url}/api/v1/bot/config`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ take_profit_pct: 3 + (i % 2) * 0.5 }),
      });
      const { version } = (await res.json()) as { version: number };
      const answeredAt = performance.now();
      const from = cycles.length;
      while (!cycles.slice(from).some((c) => c.version === version)) await new Promise((r) => setImmediate(r));
      const after = cycles.slice(from);
      const first = after.findIndex((c) => c.version === version);
      laterCycles += first; // cycles after the response that still ran the old version (target 0)
      latencies.push(after[first].at - answeredAt);
    }
    const gaps: number[] = [];
    for (let i = 1; i < cycles.length; i++) gaps.push(cycles[i].at - cycles[i - 1].at);
    const baseline = pct(gaps, 0.5);
    console.log(`PUT /bot/config → first cycle under the new version (replay at full speed, ${trials} updates):`);
    console.log(`  cycles after the response still on the old version: ${laterCycles} in total (target 0: the next cycle uses it)`);
    console.log(`  time to that cycle: median ${pct(latencies, 0.5).toFixed(3)} ms, p95 ${pct(latencies, 0.95).toFixed(3)} ms`);
    console.log(
      `  baseline: median gap between two cycles of the loop ${baseline.toFixed(3)} ms; ratio median/gap ${(pct(latencies, 0.5) / Math.max(baseline, 1e-6)).toFixed(1)}`,
    );
  } finally {
    await api.close();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
