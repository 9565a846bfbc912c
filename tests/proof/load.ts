// Mixed API traffic and 200 event-stream clients against a real server process while its bot trades a fast replay:
// every answer must be a 200, every client must see each seq exactly once and in order; the figures are latency per
// route and the server's memory slope after warm-up. Shared by tests/proof/load.test.ts (10 s) and the bench (60 s,
// or an hour with BOTDESK_SOAK=1).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { BotEvent, Trade } from '../../src-shared/contract';
import { startServer, type RunningServer } from '../e2e/server-process';

interface MemoryTrend {
  startMb: number;
  endMb: number;
  slopeMbPerMin: number;
}

/** after warm-up (the first 30 % of the samples): first and last sample, and the fitted slope per minute */
function trendOf(samples: [number, number][]): MemoryTrend {
  const warm = samples.slice(Math.floor(samples.length * 0.3));
  return { startMb: warm[0]?.[1] ?? NaN, endMb: warm.at(-1)?.[1] ?? NaN, slopeMbPerMin: slope(warm) };
}

export interface LoadReport {
  seconds: number;
  requests: number;
  errors: string[];
  perRoute: Record<string, { n: number; p50: number; p99: number }>;
  ws: { clients: number; events: number; problems: string[] };
  /** resident memory of the server process after warm-up: first and last sample, and the fitted slope */
  rss: MemoryTrend;
  /** its V8 heap in use (from /metrics, every 5 s), the same way: a leak of objects shows here before it shows in RSS */
  heap: MemoryTrend;
  trades: number;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  const num = points.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  return den ? num / den : 0;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export async function runLoad(o: { seconds: number; wsClients: number; workers: number; server?: RunningServer }): Promise<LoadReport> {
  const server = o.server ?? (await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'botdesk-load-')), replaySpeed: 100 }));
  const api = server.api.bind(server);
  await api('PUT', '/bot/config', { stop_loss_pct: 0.3, take_profit_pct: 0.4, position_size_pct: 10, max_positions: 5 });
  await api('POST', '/bot/start');

  // 200 clients on the stream, each checking that seq rises by exactly one
  const problems: string[] = [];
  let events = 0;
  let stopping = false;
  const clients = await Promise.all(
    Array.from(
      { length: o.wsClients },
      (_, i) =>
        new Promise<WebSocket>((ok, fail) => {
          const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/events`, {
            headers: { Authorization: `Bearer ${server.token}` },
          });
          let last = 0;
          ws.on('message', (m) => {
            const e = JSON.parse(m.toString()) as BotEvent;
            if (last && e.seq !== last + 1) problems.push(`client ${i}: seq ${e.seq} after ${last}`);
            last = e.seq;
            events++;
          });
          ws.on('close', (code) => {
            if (!stopping) problems.push(`client ${i} closed by the server (${code})`);
          });
          ws.once('open', () => ok(ws));
          ws.once('error', fail);
        }),
    ),
  );

  const latencies = new Map<string, number[]>();
  const errors: string[] = [];
  let requests = 0;
  const timed = async (route: string, method: string, path: string, body?: unknown) => {
    const t0 = performance.now();
    const r = await api<unknown>(method, path, body).catch((e: Error) => ({ status: 0, body: e.message }));
    const ms = performance.now() - t0;
    requests++;
    if (r.status !== 200) errors.push(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
    let list = latencies.get(route);
    if (!list) latencies.set(route, (list = []));
    list.push(ms);
    return r.body;
  };
  // trades: newest pages followed by cursor, and windows of market time drawn at random so the answer cache cannot
  // serve them all
  const tradesPaged = async () => {
    // the same window on every page of one walk: a cursor is only good for the from/to it was made for
    const window = Math.random() < 0.5 ? `&from=${1_600_000_000_000 + Math.floor(Math.random() * 100_000_000_000)}` : '';
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const q: string = `limit=${5 + Math.floor(Math.random() * 50)}${window}${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await timed('GET /bot/trades', 'GET', `/bot/trades?${q}`)) as { trades: Trade[]; next_cursor: string | null };
      cursor = body?.next_cursor ?? null;
      if (!cursor) break;
    }
  };
  let takeProfit = 0.4;
  const mix: [number, () => Promise<unknown>][] = [
    [30, () => timed('GET /bot/status', 'GET', '/bot/status')],
    [15, () => timed('GET /bot/stats', 'GET', '/bot/stats')],
    [20, tradesPaged],
    [10, () => timed('GET /bot/config', 'GET', '/bot/config')],
    [10, () => timed('GET /bot/balances', 'GET', '/bot/balances')],
    [8, () => timed('GET /bot/positions', 'GET', '/bot/positions')],
    [5, () => timed('GET /bot/equity', 'GET', `/bot/equity?limit=${100 + Math.floor(Math.random() * 400)}`)],
    [2, () => timed('PUT /bot/config', 'PUT', '/bot/config', { take_profit_pct: (takeProfit = takeProfit === 0.4 ? 0.45 : 0.4) })],
  ];
  const total = mix.reduce((a, [w]) => a + w, 0);
  const pick = () => {
    let r = Math.random() * total;
    for (const [w, f] of mix) if ((r -= w) < 0) return f;
    return mix[0][1];
  };

  const t0 = Date.now();
  const until = t0 + o.seconds * 1000;
  const samples: [number, number][] = [];
  const sampler = setInterval(() => samples.push([(Date.now() - t0) / 60_000, rssMb(server.process.pid!)]), 1000);
  const heapSamples: [number, number][] = [];
  const heapSampler = setInterval(() => {
    void fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${server.token}` } })
      .then((r) => r.text())
      .then((text) => {
        const used = /^nodejs_heap_used_bytes\s+(\S+)/m.exec(text)?.[1];
        if (used) heapSamples.push([(Date.now() - t0) / 60_000, Number(used) / 1024 / 1024]);
      })
      .catch(() => undefined); // a sample missed under load is only a sample
  }, 5000);
  await Promise.all(
    Array.from({ length: o.workers }, async () => {
      while (Date.now() < until) await pick()();
    }),
  );
  clearInterval(sampler);
  clearInterval(heapSampler);
  stopping = true;
  for (const c of clients) c.terminate();
  const trades = ((await api<{ total: number }>('GET', '/bot/trades?limit=1')).body as { total: number }).total;
  if (!o.server) await server.stop();

  const perRoute: LoadReport['perRoute'] = {};
  for (const [route, list] of latencies) {
    list.sort((a, b) => a - b);
    perRoute[route] = { n: list.length, p50: percentile(list, 0.5), p99: percentile(list, 0.99) };
  }
  return {
    seconds: o.seconds,
    requests,
    errors,
    perRoute,
    ws: { clients: clients.length, events, problems },
    rss: trendOf(samples),
    heap: trendOf(heapSamples),
    trades,
  };
}

export function formatLoad(r: LoadReport): string {
  const routes = Object.entries(r.perRoute)
    .map(([route, s]) => `  ${route.padEnd(18)} n=${String(s.n).padStart(6)}  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms`)
    .join('\n');
  return `load ${r.seconds} s: ${r.requests} requests (${(r.requests / r.seconds).toFixed(0)}/s), ${r.errors.length} errors; ${r.ws.clients} stream clients received ${r.ws.events} events, ${r.ws.problems.length} missed/reordered; ${r.trades} trades by the bot; RSS ${r.rss.startMb.toFixed(1)} → ${r.rss.endMb.toFixed(1)} MiB after warm-up (slope ${r.rss.slopeMbPerMin.toFixed(2)} MiB/min), heap ${r.heap.startMb.toFixed(1)} → ${r.heap.endMb.toFixed(1)} MiB (slope ${r.heap.slopeMbPerMin.toFixed(2)} MiB/min)\n${routes}`;
}
