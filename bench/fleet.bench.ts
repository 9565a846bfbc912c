// Fleet hub under load: 10 real bots (one worker process, core 0) each publishing 20 events/s, managed by a real
// headless hub (`npm run serve`, pinned to core 1) whose fleet overview is open in Chromium. Per round, all at once on
// the same events:
//   baseline  — a bare `ws` client on each bot's own /ws/events (publish → arrival)
//   hub       — a `ws` client on the hub's /ws/fleet (publish → arrival through the hub)
//   overview  — the overview row showing the event's seq, stamped at the next animation frame (publish → painted)
// plus the hub's CPU (share of one core) and RSS. Ratios are to the bare client measured in the same round.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { FleetBot } from '../src-shared/contract';
import { launchChromium } from '../tests/e2e/browser';
import { ensureRendererBuilt } from '../tests/e2e/build-renderer';
import { startServer } from '../tests/e2e/server-process';
import { pinThisProcess, startWorker } from './pinning';

const BOTS = Number(process.env.BENCH_FLEET_BOTS ?? 10);
const RATE = Number(process.env.BENCH_FLEET_RATE ?? 20);
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_FLEET_SECONDS ?? 10);

const wallNow = () => performance.timeOrigin + performance.now();
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x: number) => `${x.toFixed(2)} ms`;
const median = (xs: number[]) => quantile(xs, 0.5);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** the hub's CPU time (s) and RSS (bytes) from /proc */
function procStats(pid: number): { cpuS: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuS: ticks / 100, rss: rssKb * 1024 };
}

// In-page code as source text (tsx would wrap named functions in a helper the page does not have).
const WATCH_OVERVIEW = `(() => {
  window.__seen = [];
  let pending = [];
  const table = document.querySelector('[data-testid="fleet-table"]');
  new MutationObserver((mutations) => {
    const first = pending.length === 0;
    const tm = performance.timeOrigin + performance.now();
    for (const m of mutations) {
      const el = m.target;
      const seq = Number(el.getAttribute('data-last-seq'));
      const row = el.closest('[data-bot-id]');
      if (row && seq) pending.push([row.getAttribute('data-bot-id'), seq, tm]);
    }
    // stamped when the frame that shows them is drawn
    if (first && pending.length) requestAnimationFrame(() => {
      const t = performance.timeOrigin + performance.now();
      for (const [id, seq, tm] of pending) window.__seen.push([id, seq, t, tm]);
      pending = [];
    });
  }).observe(table, { subtree: true, attributes: true, attributeFilter: ['data-last-seq'] });
})()`;

export default async function run(): Promise<void> {
  if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
    console.log('  skipped: no Chromium');
    return;
  }
  await ensureRendererBuilt();
  pinThisProcess(0);
  const worker = await startWorker<{ bots: { url: string; token: string }[] }>(
    'bench/fleet-bots.worker.ts',
    [String(BOTS), String(RATE)],
    0,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-fleet-hub-'));
  const hub = await startServer({ dataDir, replaySpeed: 1, env: { BOT_MARKET: 'synthetic' } });
  if (existsSync('/usr/bin/taskset'))
    execFileSync('/usr/bin/taskset', ['-a', '-p', '-c', '1', String(hub.process.pid)], { stdio: 'ignore' });
  const browser = await launchChromium();
  const sockets: WebSocket[] = [];
  try {
    const idOfUrl = new Map<string, string>();
    for (const [i, b] of worker.ready.bots.entries()) {
      const r = await hub.api<{ bot: FleetBot; error?: string }>('POST', '/fleet/bots', {
        name: `bot ${i + 1}`,
        url: b.url,
        token: b.token,
      });
      if (r.status !== 200) throw new Error(`adding bot ${i + 1}: ${r.body.error}`);
      idOfUrl.set(b.url, r.body.bot.id);
    }

    // baseline: bare clients on each bot's own stream; the hub's stream; both stamp arrival against the publish mark
    let bare: number[] = [];
    let viaHub: number[] = [];
    const marks = new Map<string, number>(); // `${botId}:${seq}` → mark, for the overview's rows
    for (const b of worker.ready.bots) {
      const ws = new WebSocket(`${b.url.replace('http', 'ws')}/ws/events?types=log`, { headers: { Authorization: `Bearer ${b.token}` } });
      ws.on('message', (m) => {
        const t = wallNow();
        const e = JSON.parse(m.toString()) as { data: { mark?: number } };
        if (e.data.mark) bare.push(t - e.data.mark);
      });
      sockets.push(ws);
    }
    const hubWs = new WebSocket(`${hub.url.replace('http', 'ws')}/ws/fleet`, { headers: { Authorization: `Bearer ${hub.token}` } });
    hubWs.on('message', (m) => {
      const t = wallNow();
      const e = JSON.parse(m.toString()) as { data: { kind: string; bot_id: string; event: { seq: number; data: { mark?: number } } } };
      if (e.data.kind !== 'event' || !e.data.event.data.mark) return;
      viaHub.push(t - e.data.event.data.mark);
      marks.set(`${e.data.bot_id}:${e.data.event.seq}`, e.data.event.data.mark);
    });
    sockets.push(hubWs);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(hub.loginUrl as string);
    await page.waitForSelector('[data-testid="connection"][data-state="connected"]');
    await page.click('[data-testid="open-fleet"]');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll(
          '[data-testid="fleet-row"] [data-connection="connected"], [data-testid="fleet-row"] [data-connection="local"]',
        ).length === n,
      BOTS + 1,
      { timeout: 30_000 },
    );
    // the page's clock against ours (both wall clock; printed so a skew would show)
    const t0 = wallNow();
    const tPage = await page.evaluate<number>('performance.timeOrigin + performance.now()');
    const skew = tPage - (t0 + wallNow()) / 2;
    await page.evaluate(WATCH_OVERVIEW);
    console.log(`  ${BOTS} bots × ${RATE} events/s, ${ROUNDS} rounds of ${SECONDS} s; page clock skew ${skew.toFixed(2)} ms (corrected)`);

    const ratios: { med: number; p99: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      bare = [];
      viaHub = [];
      marks.clear();
      await page.evaluate('window.__seen = []');
      const before = procStats(hub.process.pid!);
      const wallStart = Date.now();
      worker.send('go');
      await sleep(SECONDS * 1000);
      const publishedAnswer = worker.read();
      worker.send('stop');
      const published = (JSON.parse(await publishedAnswer) as { published: number }).published;
      await sleep(500);
      const after = procStats(hub.process.pid!);
      const seen = await page.evaluate<[string, number, number, number][]>('window.__seen');
      const overview: number[] = [];
      const dom: number[] = [];
      for (const [id, seq, t, tm] of seen) {
        const mark = marks.get(`${id}:${seq}`);
        if (mark === undefined) continue;
        overview.push(t - skew - mark);
        dom.push(tm - skew - mark);
      }
      const cpu = (after.cpuS - before.cpuS) / ((Date.now() - wallStart) / 1000);
      const lost =
        published - bare.length || published - viaHub.length
          ? ` — LOST ${published - bare.length} bare / ${published - viaHub.length} via hub`
          : ', none lost';
      console.log(`  round ${round}: ${published} published${lost}; bare ws: median ${ms(median(bare))}, p99 ${ms(quantile(bare, 0.99))}`);
      console.log(`           hub /ws/fleet ${viaHub.length} events: median ${ms(median(viaHub))}, p99 ${ms(quantile(viaHub, 0.99))}`);
      console.log(
        `           overview shows ${overview.length} of them (rows repaint per frame): median ${ms(median(overview))}, p99 ${ms(quantile(overview, 0.99))}`,
      );
      console.log(`           (DOM updated: median ${ms(median(dom))}, p99 ${ms(quantile(dom, 0.99))})`);
      const perEvent = ((after.cpuS - before.cpuS) * 1e6) / Math.max(1, viaHub.length);
      console.log(
        `           hub CPU ${(cpu * 100).toFixed(1)} % of a core (${perEvent.toFixed(0)} µs per forwarded event, its own bot included), RSS ${(after.rss / 1024 / 1024).toFixed(0)} MB`,
      );
      ratios.push({ med: median(overview) / median(bare), p99: quantile(overview, 0.99) / quantile(bare, 0.99) });
    }
    console.log(
      `  overview / bare ws, median of rounds: median latency ×${median(ratios.map((r) => r.med)).toFixed(1)}, p99 ×${median(ratios.map((r) => r.p99)).toFixed(1)}`,
    );
  } finally {
    for (const s of sockets) s.terminate();
    await browser.close();
    await hub.stop();
    worker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && process.argv[1].endsWith('fleet.bench.ts')) await run();
