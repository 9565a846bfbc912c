// The trailing stop live (docs/contract.md §4, §7) with the real ccxt client against the binance emulator: the OCO pair
// resting on the exchange is replaced at the trailed price after a candle, and its fill is a trailing_stop trade. Then
// a real `npm run serve` process is killed with SIGKILL between cancelling the old pair and resting the new one: the
// restarted process rests the pair once, at the trailed price, and sends nothing twice.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotEvent, Position, Trade } from '../../src-shared/contract';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { startServer, type RunningServer } from '../e2e/server-process';
import { expectClose } from '../helpers/money';
import { waitFor } from '../helpers/wait';
import { SYMBOL, liveServeEnv, withLiveBot } from '../helpers/live-bot';

const OCO_PATH = '/api/v3/orderList/oco';
/** the sells resting on the exchange, in plain numbers */
const resting = (emu: BinanceEmulator) =>
  emu
    .orders(SYMBOL)
    .filter((o) => o.side === 'SELL' && o.status === 'NEW')
    .map((o) => ({ type: o.type, stopPrice: o.stopPrice, price: o.price, qty: o.origQty, list: o.orderListId }))
    .sort((a, b) => a.type.localeCompare(b.type));

/** the exchange's clock set `ms` short of the next close of a `tfMs` candle, so the bot's next candle comes that soon */
function closeSoon(emu: BinanceEmulator, ms: number, tfMs: number): void {
  const now = Date.now();
  emu.setClockOffset(Math.ceil(now / tfMs) * tfMs - ms - now);
}

describe('a trailing stop on the exchange', () => {
  it('follows the price: after the candle the OCO pair rests again at the trailed stop, and its fill is a trailing_stop trade', async () => {
    await withLiveBot({ dir: 'trailing', closeSoonMs: 9_000 }, async ({ emu, call, rt }) => {
      const events: BotEvent[] = [];
      rt.events.subscribe((e) => events.push(e));
      await call('updateConfig', { body: { trailing_stop_pct: 2 } });
      const quote = () => emu.balances().USDT.free + emu.balances().USDT.locked;
      const before = quote();
      const { position } = (await call('openPosition', { body: { size_pct: 5 } })) as { position: Position };
      const first = resting(emu);
      expect(first.map((o) => [o.type, o.stopPrice || o.price])).toEqual([
        ['LIMIT_MAKER', 0.55],
        ['STOP_LOSS', 0.45],
      ]);
      emu.setPrice(SYMBOL, 0.52); // the candle's high and close: the stop trails to 0.52 × 0.98 = 0.5096
      const moved = await waitFor(
        () => {
          const r = resting(emu);
          return r.length === 2 && r[1].stopPrice === 0.5096 ? r : null;
        },
        'the pair at the trailed stop',
        30_000,
        100,
      );
      expect(moved).toEqual([
        { type: 'LIMIT_MAKER', stopPrice: 0, price: 0.55, qty: position.amount, list: moved[0].list },
        { type: 'STOP_LOSS', stopPrice: 0.5096, price: 0, qty: position.amount, list: moved[0].list },
      ]);
      expect(moved[0].list).not.toBe(first[0].list);
      expect(emu.requests({ method: 'POST', path: OCO_PATH })).toHaveLength(2);
      expect((await call('getPositions')) as Position[]).toEqual([expect.objectContaining({ id: position.id, stop_loss_price: 0.5096 })]);
      // the views hear of the new stop at once (the dashboard's positions panel patches its row from this event)
      expect(events.filter((e) => e.type === 'position').map((e) => (e.data as Position).stop_loss_price)).toEqual([0.45, 0.5096]);

      emu.setPrice(SYMBOL, 0.505); // through the trailed stop: binance fills it at the new price
      const trade = await waitFor(
        async () => ((await call('getTrades', { query: { limit: '5' } })).trades as Trade[]).find((t) => t.position_id === position.id),
        'the trailing_stop trade',
      );
      expect(trade).toMatchObject({ exit_reason: 'trailing_stop', exit_price: 0.505, amount: position.amount });
      expectClose(quote() - before, trade.pnl, 1e-9);
      expect(resting(emu)).toEqual([]);
      expect((await call('getStats')).realized_pnl).toBeCloseTo(trade.pnl, 12);
    });
  }, 60_000);
});

describe('kill -9 while the trailing stop moves', () => {
  let emu: BinanceEmulator | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await emu?.close();
  });

  it('the old pair cancelled, the new one not yet sent: the restart rests it once, at the trailed price, as a trailing stop', async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    // 1-minute candles, the next close 30 s away: after the server's start (~15 s on a busy machine) and the entry; a
    // slower start only waits for the next minute
    closeSoon(emu, 30_000, 60_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-trailing-crash-'));
    const env = liveServeEnv(emu);

    server = await startServer({ dataDir, env });
    const config = { enabled: false, stop_loss_pct: 10, take_profit_pct: 10, trailing_stop_pct: 2, timeframe: '1m' };
    expect((await server.api('PUT', '/bot/config', config)).status).toBe(200);
    expect((await server.api('POST', '/bot/start')).status).toBe(200);
    const opened = await server.api<{ position: Position }>('POST', '/bot/positions', { size_pct: 5 });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const p = opened.body.position;
    const firstPair = resting(emu);
    expect(firstPair).toHaveLength(2);

    // the cancel of the old pair is carried out on the exchange but its answer never comes: the bot waits there
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'DELETE', mode: 'hang', times: Infinity });
    emu.setPrice(SYMBOL, 0.52);
    await emu.waitForRequest({ method: 'DELETE', path: '/api/v3/order' }, { timeoutMs: 75_000 });
    await waitFor(() => resting(emu!).length === 0, 'the old pair cancelled on the exchange', 5_000);
    await server.stop('SIGKILL');
    emu.clearFaults();
    expect(emu.requests({ method: 'POST', path: OCO_PATH })).toHaveLength(1);

    server = await startServer({ dataDir, env });
    const pair = await waitFor(() => (resting(emu!).length === 2 ? resting(emu!) : null), 'the pair rested again', 20_000, 50);
    expect(pair).toEqual([
      { type: 'LIMIT_MAKER', stopPrice: 0, price: 0.55, qty: p.amount, list: pair[0].list },
      { type: 'STOP_LOSS', stopPrice: 0.5096, price: 0, qty: p.amount, list: pair[0].list },
    ]);
    expect((await server.api<Position[]>('GET', '/bot/positions')).body).toEqual([
      expect.objectContaining({ id: p.id, stop_loss_price: 0.5096 }),
    ]);
    // once: the entry, the first pair and the pair after the restart; nothing else was ever sent
    const posts = emu.requests({ method: 'POST' }).map((r) => r.path);
    expect(posts.filter((path) => path === OCO_PATH)).toHaveLength(2);
    expect(posts.filter((path) => path !== OCO_PATH)).toEqual(['/api/v3/order']);
    expect(emu.requests({ method: 'DELETE' })).toHaveLength(1); // the one cancel before the kill; the restart cancels nothing
    // the journal knows the same two orders, and the stop's fill will be booked as the trailing stop's
    type OrderRow = { purpose: string; trigger_price: number | null; exit_reason: string | null; status: string };
    const open = (await server.api<{ orders: OrderRow[] }>('GET', '/bot/orders?status=open')).body.orders;
    expect(open.map((o) => [o.purpose, o.trigger_price, o.exit_reason, o.status]).sort()).toEqual([
      ['stop_loss', 0.5096, 'trailing_stop', 'open'],
      ['take_profit', null, 'take_profit', 'open'],
    ]);
  }, 150_000);
});
