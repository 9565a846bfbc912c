// npm run bench -- live: a live bot against the binance emulator.
//  1. From a candle closing on the exchange to the bot's order arriving there, for a strategy that acts on every
//     candle (EMA 2/3 cross on a zig-zag price), against the emulator's own request round trip in the same run.
//     The bot asks for the candle at its close by the exchange's clock, so the target is the round trips it needs
//     (the requests the emulator saw from the bot between the close and the order, the order included) + 100 ms at
//     the median, + 250 ms at p99.
//     The same again under a flood: 2,000 GET /bot/balances kept in flight through the real API with a read token,
//     from another process (pinned to the other core), from 3 s before the close until the order arrived; once on a
//     server that answers every read at once, once on one that holds reads while the bot is on its order path (as
//     `npm run serve` does: docs/contract.md §3), both on the same bot. The three variants take turns (plain, flood,
//     flood held, …: each sees as many buys as sells over two rounds); the emulator's account requests during each
//     flood are counted (at most one a second is the contract).
//  2. Resident memory after start: paper on the bundled replay (ccxt never loaded) vs paper on live data (ccxt loaded).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../src-main/app/runtime';
import { invokeOperation } from '../src-main/operations/invoke-operation';
import { createLogger } from '../src-main/engine/log/logger';
import { createApiServer } from '../src-main/server/api-server';
import type { ExchangePort } from '../src-main/engine/ports/exchange.port';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator } from '../tests/exchange-emulator/server';
import { startReadFlood, type FloodStats } from '../tests/helpers/read-flood';
import { pinThisProcess } from './pinning';

const MINUTE = 60_000;
const FLOOD = 2000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const med = (xs: number[]) => pct(xs, 0.5).toFixed(1);

async function latency(): Promise<void> {
  // candles per variant (plain, flooded)
  const candles = Number(process.env.BENCH_LIVE_CANDLES ?? 4);
  const VARIANTS = ['plain', 'flood', 'parked'] as const;
  pinThisProcess(1);
  const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-live-'));
  const logger = createLogger({ level: 'warn' });
  const rt = await createBotRuntime({
    dataDir,
    mode: 'live',
    market: { kind: 'live' },
    logger,
    exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
    credentials: { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET },
  });
  const readToken = 'bench-read-token-0123456789abcdefghij';
  const server = {
    handlers: rt.handlers,
    answerVersions: rt.answerVersions,
    events: rt.events,
    logger,
    controlToken: 'bench-control-token-0123456789abcdefgh',
    readToken,
    host: '127.0.0.1',
    port: 0,
  };
  const api = await createApiServer(server);
  const parkingApi = await createApiServer({ ...server, orderPath: rt.bot.orderPath });
  const flooding = (s: { url: string }) =>
    startReadFlood({ url: `${s.url}/api/v1/bot/balances`, token: readToken, concurrency: FLOOD, core: 0 });
  const floods = { flood: await flooding(api), parked: await flooding(parkingApi) };
  const call = (name: Parameters<typeof invokeOperation>[1], body?: object) =>
    invokeOperation(rt.handlers, name, { body }, { actor: 'bench' });
  // the bot's own account reads (live equity: after each fill and once a minute) are not the flood's: note when they ran
  const ownReads: [number, number][] = [];
  const trading = (rt.bot as unknown as { o: { exchange: ExchangePort } }).o.exchange;
  const ownRead = trading.assetBalances.bind(trading);
  trading.assetBalances = async (symbol) => {
    const span: [number, number] = [Date.now(), Infinity];
    ownReads.push(span);
    try {
      return await ownRead(symbol);
    } finally {
      span[1] = Date.now();
    }
  };
  try {
    await call('updateConfig', {
      timeframe: '1m',
      max_positions: 1,
      position_size_pct: 10,
      stop_loss_pct: 20,
      take_profit_pct: 20,
      max_daily_loss_pct: 10,
      strategy: { name: 'ema_cross', params: { fast: 2, slow: 3, rsi_period: 14, rsi_max: 0 } },
    });
    // the feed was opened on 5m: wait for the switch to 1m to be in place
    while ((await invokeOperation(rt.handlers, 'getCandles', { query: { limit: '2' } }, { actor: 'bench' })).timeframe !== '1m')
      await sleep(50);
    await call('startBot');
    const rtts: number[] = [];
    const samples = { plain: [] as number[], flood: [] as number[], parked: [] as number[] };
    // requests the bot sent from the close to its order (the order included): the round trips the order needed
    const trips = { plain: [] as number[], flood: [] as number[], parked: [] as number[] };
    // the flood's own answers (each flood's p50 and p99, per candle)
    const reads = { flood: [] as FloodStats[], parked: [] as FloodStats[] };
    const perSecond: number[] = [];
    let price: number;
    for (let k = 0; k < VARIANTS.length * candles; k++) {
      // each round shifts the turn by one, so each variant sees as many buys (even k) as sells (odd k) over two rounds
      const variant = VARIANTS[(k + Math.floor(k / VARIANTS.length)) % VARIANTS.length];
      const flood = variant === 'plain' ? null : floods[variant];
      const parkedBefore = parkingApi.readParking!.parkedTotal;
      const close = Math.ceil(Date.now() / MINUTE) * MINUTE;
      // the forming candle closes up on even rounds (EMA cross up: buy), down on odd ones (cross down: sell); between two
      // fixed prices, since a +2 %/−3 % walk drifts down and stops crossing after four candles
      price = k % 2 === 0 ? 0.51 : 0.49;
      await sleep(Math.max(0, close - Date.now() - 5_000));
      emu.setPrice('XRP/USDT', price);
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await fetch(`${emu.url}/api/v3/time`);
        rtts.push(performance.now() - t);
      }
      const orders = emu.requests({ method: 'POST', path: '/api/v3/order' }).length;
      let from = 0;
      if (flood) {
        await sleep(Math.max(0, close - Date.now() - 3_000));
        from = Date.now();
        await flood.start();
      }
      const arrived = await emu
        .waitForRequest({ method: 'POST', path: '/api/v3/order' }, { count: orders + 1, timeoutMs: 20_000 })
        .catch(() => null);
      const ms = arrived ? arrived.ts - close : NaN;
      // account reads are the flood's or the bot's own bookkeeping, never on the way to the order
      const needed = arrived
        ? emu.requests().filter((r) => r.ts >= close && r.ts <= arrived.ts && r.path !== '/api/v3/account').length
        : NaN;
      let note = '';
      if (flood) {
        await sleep(1000); // the flood goes on past the order a while
        const to = Date.now();
        const stats = await flood.stop();
        const isOwn = (ts: number) => ownReads.some(([a, b]) => ts >= a && ts <= b);
        const all = emu.requests({ method: 'GET', path: '/api/v3/account' }).filter((r) => r.ts >= from && r.ts <= to);
        const account = all.filter((r) => !isOwn(r.ts));
        const buckets = new Map<number, number>();
        for (const r of account) buckets.set(Math.floor(r.ts / 1000), (buckets.get(Math.floor(r.ts / 1000)) ?? 0) + 1);
        perSecond.push(Math.max(0, ...buckets.values()));
        const ok = stats.statuses['200'] ?? 0;
        reads[variant as 'flood' | 'parked'].push(stats);
        const parked = parkingApi.readParking!.parkedTotal - parkedBefore;
        note =
          ` under the flood${variant === 'parked' ? ` with parking (${parked} reads parked, the rest held unread)` : ''} (${ok} balance reads answered in ${stats.seconds.toFixed(1)} s, p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms` +
          `${stats.unanswered ? `, ${stats.unanswered} never answered` : ''}; the emulator saw ${account.length} account requests from them, at most ${perSecond.at(-1)} in one second, and ${all.length - account.length} of the bot's own)`;
      }
      samples[variant].push(ms);
      trips[variant].push(needed);
      process.stdout.write(
        `  candle ${k + 1}/${VARIANTS.length * candles}: ${arrived ? `order ${Math.round(ms)} ms after the close, ${needed} request(s) on the way` : 'NO order within 20 s of the close'}${note}\n`,
      );
    }
    const rtt = pct(rtts, 0.5);
    console.log(
      `candle close on the exchange → the bot's order arriving there (1m candles; emulator round trip median ${rtt.toFixed(2)} ms in this run):`,
    );
    for (const [name, xs, ns] of [
      ['alone', samples.plain, trips.plain],
      [`under ${FLOOD} concurrent balance reads, answered at once`, samples.flood, trips.flood],
      [`under ${FLOOD} concurrent balance reads, held during the order path`, samples.parked, trips.parked],
    ] as const) {
      const done = xs.filter(Number.isFinite);
      if (done.length < xs.length) console.log(`  ${name}: ${xs.length - done.length} of ${xs.length} orders did not arrive within 20 s`);
      if (!done.length) continue;
      const med = pct(done, 0.5);
      const p99 = pct(done, 0.99);
      const n = pct(ns.filter(Number.isFinite), 0.5);
      const trip = n * rtt;
      const met = med <= trip + 100 && p99 <= trip + 250;
      console.log(
        `  ${name} (${done.length} candles): median ${med.toFixed(1)} ms (${(med / rtt).toFixed(1)}× the round trip), p99 ${p99.toFixed(1)} ms (${(p99 / rtt).toFixed(1)}×); ` +
          `${n} round trip(s) on the way (median), beyond them: median ${(med - trip).toFixed(1)} ms, p99 ${(p99 - trip).toFixed(1)} ms; ` +
          `target ≤ round trips + 100 ms (median) and + 250 ms (p99): ${met ? 'met' : 'MISSED'}`,
      );
    }
    for (const [name, runs] of [
      ['answered at once', reads.flood],
      ['held during the order path', reads.parked],
    ] as const) {
      if (!runs.length) continue;
      const ok = runs.reduce((n, r) => n + (r.statuses['200'] ?? 0), 0);
      const seconds = runs.reduce((n, r) => n + r.seconds, 0);
      const lost = runs.reduce((n, r) => n + r.unanswered + r.errors, 0);
      const other = runs.reduce((n, r) => n + Object.entries(r.statuses).reduce((m, [s, c]) => m + (s === '200' ? 0 : c), 0), 0);
      console.log(
        `  the flood's reads, ${name}: ${(ok / seconds).toFixed(0)} answered a second; p50 ${med(runs.map((r) => r.p50))} ms, p99 ${med(runs.map((r) => r.p99))} ms (medians over its candles); ${other} not 200, ${lost} lost`,
      );
    }
    if (perSecond.length) {
      console.log(`  the emulator saw at most ${Math.max(...perSecond)} account request(s) from the floods in any one second`);
    }
  } finally {
    for (const f of Object.values(floods)) f.close();
    await parkingApi.close();
    await api.close();
    await rt.close();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** RSS of a headless bot after start, in its own process, for a market kind */
function rssOf(market: 'replay' | 'live', apiUrl: string): Promise<number> {
  const script = `
    const { createBotRuntime } = await import('./src-main/app/runtime.ts');
    const { createLogger } = await import('./src-main/engine/log/logger.ts');
    const { mkdtempSync } = await import('node:fs');
    const rt = await createBotRuntime({ dataDir: mkdtempSync('/tmp/botdesk-rss-'), logger: createLogger({ level: 'warn' }),
      market: ${market === 'live' ? "{ kind: 'live' }" : 'undefined'}, exchange: { id: 'binance', sandbox: false, apiUrl: '${apiUrl}' } });
    await new Promise((r) => setTimeout(r, 3000));
    globalThis.gc?.();
    process.stdout.write(String(process.memoryUsage().rss));
    await rt.close();
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`rss probe exited ${code}`))));
  });
}

async function memory(): Promise<void> {
  const emu = await startBinanceEmulator({});
  try {
    const mb = (b: number) => (b / 2 ** 20).toFixed(0);
    const replay: number[] = [];
    const live: number[] = [];
    for (let round = 0; round < 3; round++) {
      replay.push(await rssOf('replay', emu.url));
      live.push(await rssOf('live', emu.url));
    }
    console.log('resident memory 3 s after start (median of 3 processes each, under the tsx loader):');
    console.log(
      `  paper on the bundled replay: ${mb(pct(replay, 0.5))} MB; paper on live data (ccxt loaded): ${mb(pct(live, 0.5))} MB; ratio ${(pct(live, 0.5) / pct(replay, 0.5)).toFixed(2)}`,
    );
  } finally {
    await emu.close();
  }
}

export default async function run(): Promise<void> {
  await memory();
  await latency();
}
