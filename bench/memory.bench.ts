// npm run bench -- memory: resident memory of `npm run serve` over time, every process it runs counted (node
// scripts/serve.mjs and its descendants, as `ps` would show them), beside a bare Node process holding an HTTP server
// (the baseline: what any Node server costs here). Three processes run side by side for the same minutes:
//  - paper on the bundled replay (the default start): target ≤ 80 MB after 10 minutes, flat;
//  - paper on live data from the binance emulator in this process (ccxt loaded): target ≤ 130 MB, flat.
// BENCH_MEMORY_SECONDS sets the length (default 120 s; 600 or more for the 10-minute figure, which is read at 10
// minutes however long the run; 3600 for the hour). The slope is
// a least-squares line through the second half of the samples, in MB per hour.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, headlessArgs } from '../scripts/headless-entry.mjs';
import { startBinanceEmulator } from '../tests/exchange-emulator/server';
import { processTree, rssOf } from '../tests/helpers/process-tree';

const root = join(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 120);
const SAMPLES = 60;
const MB = 2 ** 20;
const TARGET_MB = { replay: 80, live: 130 } as const;

interface Run {
  name: string;
  child: ChildProcess;
  /** [seconds since start, bytes] */
  samples: [number, number][];
  dataDir?: string;
}

function treeRss(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + rssOf(p.pid), 0);
}

/** least-squares slope of the second half of the samples, MB per hour */
function slopePerHour(samples: [number, number][]): number {
  const xs = samples.slice(Math.floor(samples.length / 2));
  const n = xs.length;
  const mx = xs.reduce((s, [t]) => s + t, 0) / n;
  const my = xs.reduce((s, [, b]) => s + b, 0) / n;
  const num = xs.reduce((s, [t, b]) => s + (t - mx) * (b - my), 0);
  const den = xs.reduce((s, [t]) => s + (t - mx) ** 2, 0);
  return den === 0 ? 0 : ((num / den) * 3600) / MB;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function serve(name: string, env: NodeJS.ProcessEnv): Run {
  const dataDir = mkdtempSync(join(tmpdir(), `botdesk-bench-memory-${name}-`));
  const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs')], {
    cwd: root,
    env: { ...process.env, BOT_DATA_DIR: dataDir, BOT_API_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return { name, child, samples: [], dataDir };
}

export default async function run(): Promise<void> {
  // the bundle a user's `npm run serve` runs once built (the sources under tsx's loader cost more)
  if (headlessArgs(root)[0] === '--import') build(root, 'the memory bench measures the built bundle');
  const entry = headlessArgs(root)[0] === '--import' ? 'the sources under tsx' : 'the built bundle';
  const emu = await startBinanceEmulator({});
  // the live market moves: a random walk a step a second, so candles differ and the strategy has something to read
  let price = 0.5;
  const walk = setInterval(() => {
    price = Math.max(0.1, price * (1 + (Math.random() - 0.5) * 0.004));
    emu.setPrice('XRP/USDT', price.toFixed(4));
  }, 1000);
  const runs: Run[] = [
    {
      name: 'bare',
      child: spawn(process.execPath, ['-e', "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1')"], {
        stdio: 'ignore',
      }),
      samples: [],
    },
    serve('replay', {}),
    serve('live', { BOT_MARKET: 'live', BOT_EXCHANGE_API_URL: emu.url }),
  ];
  const t0 = Date.now();
  try {
    for (let i = 1; i <= SAMPLES; i++) {
      await new Promise((r) => setTimeout(r, t0 + (i * SECONDS * 1000) / SAMPLES - Date.now()));
      for (const r of runs) if (r.child.exitCode === null) r.samples.push([(Date.now() - t0) / 1000, treeRss(r.child.pid!)]);
    }
    const processes = (r: Run) =>
      processTree(r.child.pid!)
        .map((p) => `${p.comm} ${(rssOf(p.pid) / MB).toFixed(0)} MB`)
        .join(' + ');
    const at = (r: Run) => median(r.samples.slice(-3).map(([, b]) => b));
    const bare = at(runs[0]);
    console.log(`resident memory after ${SECONDS} s (node scripts/serve.mjs running ${entry}; every process it runs counted):`);
    // the target is judged at 10 minutes (the median of the samples around it), whatever the run's length
    const atTenMinutes = (r: Run) => {
      const near = r.samples.filter(([t]) => Math.abs(t - 600) <= SECONDS / SAMPLES + 1).map(([, b]) => b);
      return near.length ? median(near) : null;
    };
    for (const r of runs) {
      if (r.child.exitCode !== null) {
        console.log(`  ${r.name}: the process ended early (exit ${r.child.exitCode})`);
        continue;
      }
      const now = at(r);
      const peak = Math.max(...r.samples.map(([, b]) => b));
      const target = r.name === 'replay' || r.name === 'live' ? TARGET_MB[r.name] : null;
      const judged = atTenMinutes(r) ?? now;
      console.log(
        `  ${r.name === 'bare' ? 'bare Node HTTP server (baseline)' : r.name === 'replay' ? 'paper on the bundled replay' : 'paper on live data (emulator)'}: ` +
          `${(now / MB).toFixed(1)} MB (${processes(r)}), ${(now / bare).toFixed(2)}× the baseline, peak ${(peak / MB).toFixed(1)} MB, ` +
          `slope over the second half ${slopePerHour(r.samples).toFixed(1)} MB/h` +
          (target
            ? `; target ≤ ${target} MB after 10 minutes: ${(judged / MB).toFixed(1)} MB, ${judged / MB <= target ? 'met' : 'MISSED'}` +
              (SECONDS < 600 ? ` (a shorter run: the figure at ${SECONDS} s)` : '')
            : ''),
      );
    }
  } finally {
    clearInterval(walk);
    for (const r of runs) r.child.kill('SIGTERM');
    await Promise.all(runs.map((r) => (r.child.exitCode !== null ? null : new Promise((res) => r.child.once('exit', res)))));
    for (const r of runs) if (r.dataDir) rmSync(r.dataDir, { recursive: true, force: true });
    await emu.close();
  }
}
