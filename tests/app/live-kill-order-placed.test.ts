// A real `npm run serve` process trading live against the binance emulator, armed to die at the named kill point
// `order-placed` (docs/architecture.md, "Kill points"): the exchange filled the entry, the journal never heard. While it
// is down the market rises past the position's take-profit, so at the restart binance refuses the stop/take-profit pair
// and the stop is sent alone. After the restart the bot and the exchange agree on every resting order with our
// client order ids (none rests that the books do not count), the entry is one position, and a stop rests under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order, Position, Status, Trade } from '../../src-shared/contract';
import { openDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { startServer, type RunningServer } from '../e2e/server-process';
import { waitFor } from '../helpers/wait';
import { HANDS_ONLY, liveServeEnv, openLiveRuntime } from '../helpers/live-bot';

const SYMBOL = 'XRP/USDT';

/**
 * An entry sent by hand that the exchange fills while the process dies at the kill point `order-placed`, before the
 * journal hears of the fill: the server is gone when this returns.
 */
async function killedAtEntry(emu: BinanceEmulator, env: Record<string, string>, dataDir: string): Promise<void> {
  const server = await startServer({ dataDir, env: { ...env, BOTDESK_KILL_AT: 'order-placed' } });
  expect((await server.api('PUT', '/bot/config', { enabled: false, stop_loss_pct: 1.5, take_profit_pct: 1.5 })).status).toBe(200);
  expect((await server.api('POST', '/bot/start')).status).toBe(200);
  const died = new Promise<void>((r) => server.process.once('exit', () => r()));
  // the answer never comes: the process dies at the kill point, after the exchange filled the entry
  await server.api('POST', '/bot/positions', { size_pct: 5 }).catch(() => undefined);
  await died;
  expect(server.process.signalCode).toBe('SIGKILL');
  expect(emu.orders(SYMBOL)).toHaveLength(1);
  expect(emu.orders(SYMBOL)[0]).toMatchObject({ side: 'BUY', status: 'FILLED' });
}

describe('live: kill -9 right after the exchange took an entry (kill point order-placed)', () => {
  let emu: BinanceEmulator;
  let server: RunningServer | undefined;
  let env: Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-order-placed-'));

  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    env = liveServeEnv(emu);
  });
  afterAll(async () => {
    await server?.stop();
    await emu?.close();
  });

  const resting = () => emu.orders(SYMBOL).filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');

  it('restarts with the entry adopted, no order of ours resting unknown, and the position protected', async () => {
    await killedAtEntry(emu, env, dataDir);

    // while the bot is down the market goes past the take-profit (entry + 1.5 %): binance refuses that pair
    emu.setPrice(SYMBOL, 0.53);
    server = await startServer({ dataDir, env });

    // every order of ours resting on the exchange is one the bot counts as open, and the other way round
    const ours = (ids: string[]) => ids.filter((id) => id.startsWith('bd-')).sort();
    let last = '';
    await waitFor(
      async () => {
        const mine = ours(
          (await server!.api<{ orders: Order[] }>('GET', '/bot/orders?status=open&limit=1000')).body.orders.map((o) => o.client_order_id),
        );
        const theirs = ours(resting().map((o) => o.clientOrderId));
        last = `bot: ${mine.join(',') || '-'}; exchange: ${theirs.join(',') || '-'}`;
        return JSON.stringify(mine) === JSON.stringify(theirs);
      },
      'the bot and the exchange agreeing on resting orders',
      15_000,
      200,
    ).catch(() => expect.fail(`resting orders differ: ${last}`));

    // the entry is exactly one position: still open with a stop resting under it, or sold (as its target) with a trade
    const positions = (await server.api<Position[]>('GET', '/bot/positions')).body;
    const trades = (await server.api<{ trades: Trade[] }>('GET', '/bot/trades?limit=10')).body.trades;
    expect(positions.length + trades.length).toBe(1);
    if (positions.length === 1) {
      expect(resting().some((o) => o.side === 'SELL' && /STOP/.test(o.type) && o.origQty === positions[0].amount)).toBe(true);
    } else {
      expect(trades[0]).toMatchObject({ exit_reason: 'take_profit' });
      expect(resting()).toEqual([]);
    }
    expect(emu.orders(SYMBOL).filter((o) => o.side === 'BUY')).toHaveLength(1); // the entry was never sent again
    const ids = emu.orders(SYMBOL).map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    const status = (await server.api<Status>('GET', '/bot/status')).body;
    expect(status.attention.filter((a) => /rest on the exchange/.test(a))).toEqual([]);
  }, 120_000);
});

describe('live: kill -9 at an entry, and the market through its stop by the restart', () => {
  it('sells the adopted entry at once, as its stop would have, instead of leaving it bare until a candle closes', async () => {
    const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    const env = liveServeEnv(emu);
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-through-stop-'));
    let server: RunningServer | undefined;
    try {
      await killedAtEntry(emu, env, dataDir);
      // while the bot is down the market falls through the stop (entry − 1.5 %): binance refuses the pair, then the
      // stop alone ("would trigger immediately"); the next 5-minute close may be minutes away
      emu.setPrice(SYMBOL, 0.48);
      server = await startServer({ dataDir, env });
      let trades: Trade[] = [];
      await waitFor(
        async () => {
          trades = (await server!.api<{ trades: Trade[] }>('GET', '/bot/trades?limit=10')).body.trades;
          return trades.length === 1;
        },
        'the adopted entry sold',
        15_000,
        200,
      );
      expect(trades[0].exit_reason).toBe('stop_loss');
      expect((await server.api<Position[]>('GET', '/bot/positions')).body).toEqual([]);
      // the entry, then the one market sell that filled; nothing of ours rests, and the entry was never sent again
      const filled = emu.orders(SYMBOL).filter((o) => o.status === 'FILLED');
      expect(filled.map((o) => [o.side, o.type])).toEqual([
        ['BUY', 'LIMIT'],
        ['SELL', 'MARKET'],
      ]);
      expect(emu.orders(SYMBOL).filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).toEqual([]);
    } finally {
      await server?.stop();
      await emu.close();
    }
  }, 120_000);
});

describe('live: an order of ours resting on the exchange that the journal says has ended', () => {
  it('is cancelled at the restart and the position gets a whole pair again; nothing is left resting unknown', async () => {
    const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-live-stray-'));
    let rt = await openLiveRuntime(dir, emu);
    const call = (name: 'updateConfig' | 'startBot' | 'openPosition' | 'getStatus' | 'getOrders', raw = {}) =>
      invokeOperation(rt.handlers, name, raw, { actor: 'test' }) as Promise<Record<string, unknown>>;
    try {
      await call('updateConfig', { body: HANDS_ONLY });
      await call('startBot');
      const { position } = (await call('openPosition', { body: {} })) as { position: Position };
      const pair = emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW');
      expect(pair.map((o) => o.clientOrderId).sort()).toEqual(['bd-2', 'bd-3']);
      await rt.close();
      // what the race at a restart left behind (an older version): the pair rests, the journal says it was refused
      const db = openDatabase(join(dir, 'botdesk.sqlite'));
      db.prepare(`UPDATE orders SET status = 'rejected' WHERE client_order_id IN ('bd-2', 'bd-3')`).run();
      db.close();

      rt = await openLiveRuntime(dir, emu);
      const byId = (id: string) => emu.orders(SYMBOL).find((o) => o.clientOrderId === id)!;
      expect([byId('bd-2').status, byId('bd-3').status]).toEqual(['CANCELED', 'CANCELED']);
      const open = ((await call('getOrders', { query: { status: 'open', limit: '100' } })).orders as Order[]).map((o) => o.client_order_id);
      const resting = emu.orders(SYMBOL).filter((o) => o.status === 'NEW');
      expect(open.sort()).toEqual(resting.map((o) => o.clientOrderId).sort());
      expect(resting.map((o) => [o.type, o.origQty])).toEqual(
        expect.arrayContaining([
          ['STOP_LOSS', position.amount],
          ['LIMIT_MAKER', position.amount],
        ]),
      );
      expect((await call('getStatus')).attention).toEqual([]);
      expect(rt.bot.positions().map((p) => p.id)).toEqual([position.id]);
    } finally {
      await rt.close();
      await emu.close();
    }
  }, 60_000);
});
