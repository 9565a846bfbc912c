import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../src-main/app/runtime';
import { EventBus } from '../src-main/engine/events/event-bus';
import { createLogger } from '../src-main/engine/log/logger';
import { invokeOperation } from '../src-main/operations/invoke-operation';
import { createNotifier, type Notifier } from '../src-main/notify/notifier';
import type { Status, Trade } from '../src-shared/contract';

/**
 * Notifications (issue 18):
 *  1. lag from an event published on the bus to a json webhook receiving it, at 20 events/s, through the notifier
 *     (rules, delivery queue, signature) against a bare `fetch` of the same body made in the event's listener;
 *  2. the trading cycle with a webhook that never answers against no notifier at all, the bot replaying at full speed
 *     with 20 extra trade events a second for the sink to choke on.
 * Paired rounds (A B A B…), median of per-round ratios (see docs: benchmarking on a noisy machine).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_NOTIFY_SECONDS ?? 5);
const RATE = 20;
const SECRET = 'bench-secret-0123456789abcdef';

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN;
const median = (xs: number[]) => pct(xs, 0.5);
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

/** a receiver that notes when each trade id arrived (or, `hang`, never answers) */
async function receiver(o: { hang?: boolean; onTrade?: (id: number) => void }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (o.hang) return;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: { data?: { id?: number } } };
      const id = body.event?.data?.id;
      if (typeof id === 'number') o.onTrade?.(id);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}
const closeServer = (s: Server) => new Promise((r) => (s.closeAllConnections(), s.close(r)));

const tradeData = (id: number): Trade =>
  ({
    id,
    position_id: id,
    symbol: 'XRP/USDT',
    side: 'long',
    amount: 10,
    entry_price: 0.5,
    exit_price: 0.51,
    entry_time: 0,
    exit_time: 1,
    fee: 0.01,
    pnl: 0.09,
    pnl_pct: 1.8,
    exit_reason: 'take_profit',
    config_version: 1,
  }) as Trade;

const idleStatus = { state: 'running', paused_reason: null } as Status;
const noCalls = (() => Promise.reject(new Error('no commands in the bench'))) as never;

function notifierFor(events: Pick<EventBus, 'subscribe'>, status: () => Status): Notifier {
  return createNotifier({
    events,
    status,
    call: noCalls,
    logger: createLogger({ level: 'error' }),
    // the rules sum trades beyond 5 a minute into one summary; the bench wants every event through the pipeline
    tradesPerWindow: Number.MAX_SAFE_INTEGER,
    delivery: { timeoutMs: 10_000 },
  });
}

/** publishes RATE trade events a second for SECONDS; the lag of each from publish to the receiver */
async function lagRound(viaNotifier: boolean): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const lags: number[] = [];
  const r = await receiver({ onTrade: (id) => lags.push(performance.now() - (sentAt.get(id) ?? NaN)) });
  const bus = new EventBus();
  let notifier: Notifier | null = null;
  let stopBare = () => {};
  if (viaNotifier) {
    notifier = notifierFor(bus, () => idleStatus);
    await notifier.reconfigure({ webhooks: [{ url: r.url, format: 'json', secret: SECRET }] });
  } else {
    // the baseline: the same JSON posted straight from the event's listener, nothing in between
    stopBare = bus.subscribe((event) => {
      void fetch(r.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ event }) }).then((x) =>
        x.body?.cancel(),
      );
    });
  }
  const total = RATE * SECONDS;
  const base = Math.floor(Math.random() * 1e9);
  for (let i = 0; i < total; i++) {
    const id = base + i;
    sentAt.set(id, performance.now());
    bus.publish('trade', tradeData(id));
    await new Promise((res) => setTimeout(res, 1000 / RATE));
  }
  const deadline = Date.now() + 5000;
  while (lags.length < total && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
  stopBare();
  await notifier?.close();
  await closeServer(r.server);
  if (lags.length !== total) throw new Error(`only ${lags.length} of ${total} events arrived`);
  return lags;
}

/** the bot at full speed for SECONDS; the time between cycles, with a notifier posting to a hanging or a working webhook, or none */
async function cycleRound(
  receiverMode: 'none' | 'hang' | 'ok',
): Promise<{ gaps: number[]; inCycle: number[]; queued: number; dropped: number; published: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-notify-'));
  const logger = createLogger({ level: 'error' });
  const runtime = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 11 }, replaySpeed: 'max', logger });
  const r = receiverMode === 'none' ? null : await receiver({ hang: receiverMode === 'hang' });
  let notifier: Notifier | null = null;
  if (r) {
    notifier = notifierFor(runtime.events, () => runtime.bot.status());
    await notifier.reconfigure({ webhooks: [{ url: r.url, format: 'json', secret: SECRET }] });
  }
  const core = runtime.bot.core;
  const starts: number[] = [];
  const inCycle: number[] = [];
  let published = 0;
  let lastExtra = 0;
  const bus = runtime.events as EventBus;
  const original = core.processCandle.bind(core);
  core.processCandle = (ts, o, h, l, c) => {
    const t0 = performance.now();
    starts.push(t0);
    const out = original(ts, o, h, l, c);
    inCycle.push(performance.now() - t0);
    // 20 trade notices a second on top of the bot's own, published from the cycle as the bot publishes its trades
    // (a timer would starve beside a loop at full speed)
    if (t0 - lastExtra >= 1000 / RATE) {
      lastExtra = t0;
      bus.publish('trade', tradeData(1e9 + published++));
    }
    return out;
  };
  try {
    await invokeOperation(runtime.handlers, 'startBot', {}, { actor: 'bench' });
    await new Promise((res) => setTimeout(res, SECONDS * 1000));
  } finally {
    core.processCandle = original;
  }
  const stats = notifier?.sinks()[0];
  await notifier?.close();
  await runtime.close();
  if (r) await closeServer(r.server);
  rmSync(dataDir, { recursive: true, force: true });
  const gaps = starts.slice(1).map((t, i) => t - starts[i]);
  return { gaps, inCycle, queued: stats?.queued ?? 0, dropped: stats?.dropped ?? 0, published };
}

export default async function run(): Promise<void> {
  console.log(`notify: ${ROUNDS} paired rounds of ${SECONDS} s, ${RATE} events/s`);
  const lagRatios: number[] = [];
  const lagN: number[] = [];
  const lagB: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const bare = await lagRound(false);
    const via = await lagRound(true);
    lagB.push(...bare);
    lagN.push(...via);
    lagRatios.push(median(via) / median(bare));
    console.log(
      `  lag round ${i + 1}: notifier median ${fmt(median(via))} p99 ${fmt(pct(via, 0.99))}; bare fetch median ${fmt(median(bare))}`,
    );
  }
  console.log(
    `event → json webhook: notifier median ${fmt(median(lagN))}, p99 ${fmt(pct(lagN, 0.99))}; bare fetch median ${fmt(median(lagB))}, p99 ${fmt(pct(lagB, 0.99))}; ratio of medians (median of rounds) ${median(lagRatios).toFixed(2)}`,
  );

  const vsNone: number[] = [];
  const vsWorking: number[] = [];
  const gapsNone: number[] = [];
  const gapsHang: number[] = [];
  const gapsOk: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const none = await cycleRound('none');
    const hang = await cycleRound('hang');
    const ok = await cycleRound('ok');
    gapsNone.push(...none.gaps);
    gapsHang.push(...hang.gaps);
    gapsOk.push(...ok.gaps);
    vsNone.push(median(hang.gaps) / median(none.gaps));
    vsWorking.push(median(hang.gaps) / median(ok.gaps));
    console.log(
      `  cycle round ${i + 1}: hanging webhook median gap ${fmt(median(hang.gaps))} (${hang.gaps.length} cycles, in-cycle ${fmt(median(hang.inCycle))}, ${hang.published} extra events, sink queued ${hang.queued}, dropped ${hang.dropped}); working webhook ${fmt(median(ok.gaps))}; none ${fmt(median(none.gaps))} (${none.gaps.length} cycles, in-cycle ${fmt(median(none.inCycle))})`,
    );
  }
  console.log(
    `trading cycle: median gap hanging ${fmt(median(gapsHang))}, working ${fmt(median(gapsOk))}, none ${fmt(median(gapsNone))}; p99 ${fmt(pct(gapsHang, 0.99))} / ${fmt(pct(gapsOk, 0.99))} / ${fmt(pct(gapsNone, 0.99))}`,
  );
  console.log(
    `  ratios (median of rounds): hanging/none ${median(vsNone).toFixed(3)}, hanging/working ${median(vsWorking).toFixed(3)} (target: 1 within noise)`,
  );
}
