// Real `npm run serve` processes (tests/e2e/server-process.ts) killed with SIGKILL at random moments and at named kill
// points (src-main/engine/kill-points.ts), in three settings: paper on a fast replay, live against the exchange
// emulator with prices moving while the bot is down, a fleet hub with two remote bots. Each restart is checked
// (kill-checks.ts); a kill counts as survived only when nothing is wrong. Shared by the suite and the bench.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fleet, FleetBot, Order, Position } from '../../src-shared/contract';
import type { KillPoint } from '../../src-main/engine/kill-points';
import { startBinanceEmulator } from '../exchange-emulator/server';
import { startServer, type RunningServer, type ServerOptions } from '../e2e/server-process';
import { waitFor } from '../helpers/wait';
import { liveServeEnv } from '../helpers/live-bot';
import { apiView, continuityProblems, databaseProblems, SeqClient, type ApiView } from './kill-checks';

export interface KillReport {
  setting: string;
  run: number;
  survived: number;
  /** what went wrong, per kill that was not survived */
  failures: string[];
  /** where each kill landed */
  moments: string[];
}

const trace = (...a: unknown[]) => process.env.BOTDESK_KILL_TRACE && console.error(new Date().toISOString().slice(11, 23), ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SYMBOL = 'XRP/USDT';

/** a named point, and what to do to reach it when trading alone does not */
type Named = { point: KillPoint; nth?: number; reach?: (s: RunningServer) => Promise<unknown> };

/** Starts the server; a process armed to die during start-up (e.g. at `reconciled`) counts as killed, not as a failure. */
async function start(o: ServerOptions): Promise<RunningServer | null> {
  try {
    return await startServer({ readyTimeoutMs: 60_000, ...o });
  } catch (e) {
    if (o.env?.BOTDESK_KILL_AT && /exited with null before it was ready/.test((e as Error).message)) return null;
    throw e;
  }
}

/** the named point armed in a process: it dies there by itself (or is killed after `giveUpMs` if it never got there) */
async function dieAtPoint(s: RunningServer, named: Named, giveUpMs: number): Promise<string> {
  const exited = new Promise<boolean>((r) => {
    if (s.process.exitCode !== null || s.process.signalCode !== null) return r(true);
    s.process.once('exit', () => r(true));
  });
  void named.reach?.(s).catch(() => undefined);
  const reached = await Promise.race([exited, sleep(giveUpMs).then(() => false)]);
  if (!reached) {
    await s.stop('SIGKILL');
    return `${named.point} (not reached in ${giveUpMs} ms; killed there)`;
  }
  return `at ${named.point}${named.nth ? `:${named.nth}` : ''}`;
}

interface Setting {
  name: string;
  dataDir: string;
  serverOptions(env: Record<string, string>): ServerOptions;
  /** after each (re)start: make it trade again */
  resume(s: RunningServer): Promise<void>;
  /** setting-specific checks after a restart (exchange agreement, fleet) */
  check?(s: RunningServer, before: ApiView): Promise<string[]>;
  named: Named[];
  /** runs while the bot is up or down: moving prices, entries by hand */
  background?: { start(get: () => RunningServer | null): void; pause(): void; stop(): void };
  close?(): Promise<void>;
}

async function runKills(setting: Setting, kills: number, rng: () => number): Promise<KillReport> {
  const report: KillReport = { setting: setting.name, run: 0, survived: 0, failures: [], moments: [] };
  // which rounds kill at a named point: every other round, through the list
  const named = (round: number): Named | undefined =>
    round % 2 === 1 ? setting.named[((round - 1) / 2) % setting.named.length] : undefined;
  const first = await start(setting.serverOptions({}));
  if (!first) throw new Error('the first start died');
  let current: RunningServer | null = first;
  await setting.resume(first);
  const stream = new SeqClient();
  await stream.connect(first);
  setting.background?.start(() => current);
  let before = await apiView(first);
  try {
    for (let round = 0; round < kills; round++) {
      report.run++;
      const point = named(round);
      trace(setting.name, 'round', round, point?.point ?? 'random');
      let moment: string;
      if (point && current) {
        // a process armed with BOTDESK_KILL_AT takes over from the checked one (stopped cleanly, not counted)
        stream.drop();
        await current.stop('SIGTERM');
        current = null;
        const armed = await start(setting.serverOptions({ BOTDESK_KILL_AT: `${point.point}${point.nth ? `:${point.nth}` : ''}` }));
        if (!armed) moment = `at ${point.point}, during start-up`;
        else {
          current = armed;
          await stream.connect(armed).catch(() => undefined);
          await setting.resume(armed).catch(() => undefined);
          moment = await dieAtPoint(armed, point, 15_000);
        }
      } else {
        const ms = Math.floor(50 + rng() * 1500);
        await sleep(ms);
        try {
          before = await apiView(current!);
        } catch {
          // the view of the last restart stands
        }
        await sleep(Math.floor(rng() * 300));
        await current!.stop('SIGKILL');
        moment = `random, ${ms} ms in`;
      }
      report.moments.push(moment);
      current = null;
      stream.drop();
      const problems = databaseProblems(setting.dataDir);
      trace('killed:', moment, '; restarting');
      const next = await start(setting.serverOptions({}));
      if (!next) throw new Error('a start with nothing armed died');
      current = next;
      setting.background?.pause();
      const after = await apiView(next);
      problems.push(...continuityProblems(before, after));
      if (setting.check) problems.push(...(await setting.check(next, before)));
      trace('restarted, checked:', problems.length, 'problems');
      const seenBefore = stream.problems.length;
      await stream.connect(next);
      await setting.resume(next);
      setting.background?.start(() => current);
      try {
        await stream.more(3);
      } catch (e) {
        problems.push(`event stream: ${(e as Error).message}`);
      }
      problems.push(...stream.problems.slice(seenBefore));
      if (problems.length === 0) report.survived++;
      else report.failures.push(`kill ${round + 1} (${moment}): ${problems.join('; ')}`);
      before = after;
    }
  } finally {
    setting.background?.stop();
    stream.drop();
    await current?.stop();
    await setting.close?.();
  }
  return report;
}

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `botdesk-kill-${name}-`));

/** Paper trading on the bundled replay at 100 candles a second, trading often. */
export function paperKills(kills: number, rng: () => number): Promise<KillReport> {
  const dataDir = tempDir('paper');
  return runKills(
    {
      name: 'paper, fast replay',
      dataDir,
      serverOptions: (env) => ({ dataDir, replaySpeed: 100, env }),
      async resume(s) {
        await s.api('PUT', '/bot/config', { stop_loss_pct: 0.3, take_profit_pct: 0.4, position_size_pct: 10, max_positions: 5 });
        await s.api('POST', '/bot/start');
      },
      named: [
        { point: 'order-journaled', nth: 3 },
        { point: 'exit-booked', nth: 2 },
        { point: 'config-written', reach: (s) => s.api('PUT', '/bot/config', { take_profit_pct: 0.5 }) },
        { point: 'close-all', reach: (s) => s.api('POST', '/bot/close-all') },
        { point: 'token-written', reach: (s) => s.api('POST', '/auth/rotate', {}) },
        { point: 'order-placed', nth: 4 },
        { point: 'reconciled' },
      ],
    },
    kills,
    rng,
  );
}

/**
 * Live trading on the binance emulator: entries by hand every few hundred ms, stops and targets resting on the
 * exchange, the price walking all the while, also while the bot is down (its stops and targets fill then).
 */
export async function liveKills(kills: number, rng: () => number): Promise<KillReport> {
  const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
  emu.setPrice(SYMBOL, 0.5);
  const dataDir = tempDir('live');
  const env = liveServeEnv(emu);
  let walker: NodeJS.Timeout | undefined;
  let entries: NodeJS.Timeout | undefined;
  let price = 0.5;
  const openOnExchange = () => emu.orders(SYMBOL).filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');
  return runKills(
    {
      name: 'live, exchange emulator',
      dataDir,
      serverOptions: (extra) => ({ dataDir, env: { ...env, ...extra } }),
      async resume(s) {
        await s.api('PUT', '/bot/config', {
          enabled: false,
          stop_loss_pct: 1.5,
          take_profit_pct: 1.5,
          position_size_pct: 5,
          max_positions: 4,
        });
        await s.api('POST', '/bot/start');
      },
      background: {
        start(get) {
          clearInterval(walker);
          clearInterval(entries);
          walker = setInterval(() => {
            price = Math.min(0.8, Math.max(0.3, price * (1 + (rng() - 0.5) * 0.012)));
            emu.setPrice(SYMBOL, price.toFixed(4));
          }, 120);
          entries = setInterval(
            () =>
              void get()
                ?.api('POST', '/bot/positions', { size_pct: 5 })
                .catch(() => undefined),
            400,
          );
        },
        pause() {
          clearInterval(walker);
          clearInterval(entries);
        },
        stop() {
          clearInterval(walker);
          clearInterval(entries);
        },
      },
      async check(s) {
        const problems: string[] = [];
        // the bot and the exchange agree on what rests there, and every open position rests protected on the exchange
        // (a moment after the restart: the reconciliation protects an entry adopted from the exchange, and the bot's
        // watcher may need a moment after a fill; both read together, so a pause between the two is no pass)
        let mismatch = '';
        await waitFor(
          async () => {
            const myOrders = (await s.api<{ orders: Order[] }>('GET', '/bot/orders?status=open&limit=1000')).body.orders;
            const mine = new Set(myOrders.map((o) => o.client_order_id));
            const positions = (await s.api<Position[]>('GET', '/bot/positions')).body.filter((p) => !p.dust);
            const resting = openOnExchange();
            const theirs = new Set(resting.map((o) => o.clientOrderId));
            const missing = [...mine].filter((id) => !theirs.has(id));
            const unknown = [...theirs].filter((id) => !mine.has(id));
            // each position by its own stop (up to four are open at once): a stop resting for one proves nothing of another
            const stopsResting = new Set(resting.filter((o) => o.side === 'SELL' && /STOP/.test(o.type)).map((o) => o.clientOrderId));
            const guarded = new Set(
              myOrders.filter((o) => o.purpose === 'stop_loss' && stopsResting.has(o.client_order_id)).map((o) => o.position_id),
            );
            const unprotected = positions.filter((p) => !guarded.has(p.id)).map((p) => p.id);
            mismatch =
              `open on the bot but not the exchange: ${missing.join(',') || '-'}; on the exchange only: ${unknown.join(',') || '-'}` +
              unprotected.map((id) => `; position ${id} has no stop on the exchange`).join('');
            return missing.length === 0 && unknown.length === 0 && unprotected.length === 0;
          },
          'bot and exchange agreeing on open orders, every position protected',
          10_000,
          250,
        ).catch(() => problems.push(mismatch));
        // every entry the exchange filled is one position of the bot: none placed twice, none lost
        const view = await apiView(s);
        const positionIds = new Set([...view.positions.map((p) => p.id), ...view.trades.map((t) => t.position_id)]);
        const filledBuys = emu.orders(SYMBOL).filter((o) => o.side === 'BUY' && o.executedQty > 0).length;
        if (filledBuys !== positionIds.size)
          problems.push(`${filledBuys} entries filled on the exchange, ${positionIds.size} positions booked`);
        const ids = emu.orders(SYMBOL).map((o) => o.clientOrderId);
        if (new Set(ids).size !== ids.length) problems.push('an order was placed twice (a clientOrderId repeats on the exchange)');
        return problems;
      },
      named: [
        { point: 'order-journaled', reach: (s) => s.api('POST', '/bot/positions', { size_pct: 5 }) },
        { point: 'order-placed', reach: (s) => s.api('POST', '/bot/positions', { size_pct: 5 }) },
        { point: 'close-all', reach: (s) => s.api('POST', '/bot/close-all') },
        { point: 'exit-booked' },
        { point: 'reconciled' },
        { point: 'config-written', reach: (s) => s.api('PUT', '/bot/config', { take_profit_pct: 1.6 }) },
      ],
      close: () => emu.close(),
    },
    kills,
    rng,
  );
}

/** A hub with two remote bots; the hub is killed while fleet operations are under way (and a remote now and then). */
export async function fleetKills(kills: number, rng: () => number): Promise<KillReport> {
  const hubDir = tempDir('hub');
  const remotes = await Promise.all([startServer({ dataDir: tempDir('bravo') }), startServer({ dataDir: tempDir('charlie') })]);
  const names = new Map<string, string>();
  /** renames sent whose answer never came (the hub was killed): either name is right after the restart */
  const inFlight = new Set<string>();
  let ops: NodeJS.Timeout | undefined;
  return runKills(
    {
      name: 'fleet hub with two remote bots',
      dataDir: hubDir,
      serverOptions: (env) => ({ dataDir: hubDir, env }),
      async resume(s) {
        const fleet = (await s.api<Fleet>('GET', '/fleet')).body;
        for (const [i, r] of remotes.entries()) {
          if (fleet.bots.some((b) => b.url === r.url)) continue;
          const added = await s.api<{ bot: FleetBot }>('POST', '/fleet/bots', { name: `remote-${i}`, url: r.url, token: r.token });
          if (added.status !== 200) throw new Error(`adding a remote bot answered ${added.status}: ${JSON.stringify(added.body)}`);
          names.set(added.body.bot.id, `remote-${i}`);
        }
        await s.api('POST', '/bot/start');
      },
      background: {
        start(get) {
          clearInterval(ops);
          let n = 0;
          ops = setInterval(() => {
            const s = get();
            if (!s) return;
            const ids = [...names.keys()];
            const id = ids[n % ids.length];
            const name = `remote-${n++}`;
            // a rename acknowledged before the kill must survive it
            inFlight.add(name);
            void s
              .api('PUT', `/fleet/bots/${id}`, { name })
              .then((r) => {
                inFlight.delete(name);
                if (r.status === 200) names.set(id, name);
              })
              .catch(() => undefined);
            void s
              .api('POST', n % 3 ? '/fleet/pause-all' : `/fleet/bots/${id}/control`, n % 3 ? {} : { action: 'start' })
              .catch(() => undefined);
          }, 150);
        },
        pause: () => clearInterval(ops),
        stop: () => clearInterval(ops),
      },
      async check(s) {
        const problems: string[] = [];
        try {
          JSON.parse(readFileSync(join(hubDir, 'fleet.json'), 'utf8'));
        } catch (e) {
          problems.push(`fleet.json: ${(e as Error).message}`);
        }
        const rows = await waitFor(
          async () => {
            const bots = (await s.api<Fleet>('GET', '/fleet')).body.bots;
            return bots.filter((b) => b.id !== 'local').every((b) => b.health.connection === 'connected') ? bots : null;
          },
          'both remotes connected again',
          20_000,
          200,
        ).catch(() => null);
        if (!rows) problems.push('the remotes did not connect again');
        else {
          if (rows.length !== 3) problems.push(`${rows.length} bots in the fleet`);
          for (const [id, name] of names) {
            const now = rows.find((b) => b.id === id)?.name ?? '';
            if (now !== name && !inFlight.has(now)) problems.push(`bot ${id} is named ${now}, not the acknowledged ${name}`);
          }
        }
        return problems;
      },
      named: [],
      close: async () => {
        await Promise.all(remotes.map((r) => r.stop()));
      },
    },
    kills,
    rng,
  );
}

/** a small seeded generator, so a failing run can be repeated (the seed is printed) */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
