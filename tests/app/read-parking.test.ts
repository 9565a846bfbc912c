// Trading before monitoring, end to end (docs/contract.md §3): a live bot on the binance emulator sells at a candle's
// close; the exchange holds the sale's answer, so the bot stays on its order path. Reads sent meanwhile to a server
// given the bot's order path are parked (none answered) while the event stream still delivers, and every one is
// answered, 200 and in arrival order, once the answer comes and the path ends; a second server with a shorter bound
// answers its reads at the bound although the exchange still has not answered. Real sockets throughout.
import { describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../src-main/server/api-server';
import { createLogger } from '../../src-main/engine/log/logger';
import type { Position } from '../../src-shared/contract';
import { SYMBOL, withLiveBot } from '../helpers/live-bot';
import { connectEvents } from '../helpers/ws-client';
import { waitFor } from '../helpers/wait';

const CLOSE_IN_MS = 30_000;
const READ_TOKEN = 'read-token-for-the-parking-test-0123456789';
const HELD = ['/bot/status', '/bot/positions', '/bot/balances', '/bot/config', '/bot/positions', '/bot/status'];
const HANDLER_OF: Record<string, string> = {
  '/bot/status': 'getStatus',
  '/bot/positions': 'getPositions',
  '/bot/balances': 'getBalances',
  '/bot/config': 'getConfig',
};

describe('reads while a live order is on its way', () => {
  it('wait for the order path to end, all answered in order; a stuck path lets them go at the bound', async () => {
    await withLiveBot({ dir: 'read-parking', closeSoonMs: CLOSE_IN_MS }, async ({ emu, rt, call }) => {
      const skew = ((await (await fetch(`${emu.url}/api/v3/time`)).json()) as { serverTime: number }).serverTime - Date.now();
      const emuNow = () => Date.now() + skew;
      const close = Math.ceil(emuNow() / 300_000) * 300_000;
      // the stop rests alone (a 900 % target is beyond binance's price band), so the bot itself sells at the close
      await call('updateConfig', { body: { take_profit_pct: 900 } });
      const { position } = await call('openPosition', { body: {} });
      const logger = createLogger({ level: 'warn' });
      const serve = (maxParkMs: number): Promise<ApiServer> =>
        createApiServer({
          handlers: rt.handlers,
          events: rt.events,
          logger,
          controlToken: 'control-token-for-the-parking-test-0123456789',
          readToken: READ_TOKEN,
          host: '127.0.0.1',
          port: 0,
          orderPath: rt.bot.orderPath,
          maxParkMs,
        });
      // generous bounds: 60 s holds the reads as long as the test wants; 6 s (from the close) lets them go while the
      // sale still waits, with seconds to spare before ccxt gives up on it (10 s after sending)
      const held = await serve(60_000);
      const bounded = await serve(6_000);
      const ws = await connectEvents(`${held.url.replace('http', 'ws')}/ws/events?types=log`, {
        headers: { Authorization: `Bearer ${READ_TOKEN}` },
      });
      // which read each server's handler call served, in order (both servers call the runtime's handlers object)
      const served: string[] = [];
      const handlers = rt.handlers as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const [path, name] of Object.entries(HANDLER_OF)) {
        const inner = handlers[name];
        handlers[name] = (...a: unknown[]) => (served.push(path), inner(...a));
      }
      let pathEndedAt = NaN;
      rt.bot.orderPath.onChange((busy) => {
        if (!busy && Number.isNaN(pathEndedAt)) pathEndedAt = performance.now();
      });
      const get = (server: ApiServer, path: string) =>
        fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${READ_TOKEN}` } }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as unknown,
          at: performance.now(),
        }));
      try {
        expect(emuNow()).toBeLessThan(close - 6_000); // the set-up left time before the close
        await waitFor(() => emu.orders(SYMBOL).some((o) => o.status === 'NEW' && o.type === 'STOP_LOSS'), 'the stop to rest');
        await new Promise((r) => setTimeout(r, close - 3_000 - emuNow()));
        // the sale's answer is held by the exchange until the test lets it go (ccxt gives up after 10 s)
        const posts = emu.requests({ method: 'POST', path: '/api/v3/order' }).length;
        emu.fault({ kind: 'delay', path: '/api/v3/order', method: 'POST', delayMs: 60_000 });
        emu.setPrice(SYMBOL, 5.5); // past the 5.0 target: the candle closing at `close` says sell
        const sale = await emu.waitForRequest({ method: 'POST', path: '/api/v3/order' }, { count: posts + 1, timeoutMs: 20_000 });
        expect(sale.params).toMatchObject({ side: 'SELL', type: 'MARKET' });
        expect(rt.bot.orderPath.busy).toBe(true);

        // the bounded server: parked, then answered at its bound while the sale is still unanswered
        const early = [get(bounded, '/bot/status'), get(bounded, '/bot/status')];
        await waitFor(() => bounded.readParking!.waiting === 2, 'two reads parked on the bounded server');
        const earlyAnswers = await Promise.all(early);
        expect(earlyAnswers.map((a) => a.status)).toEqual([200, 200]);
        expect(rt.bot.orderPath.busy).toBe(true);
        expect(sale.status).toBeUndefined(); // still no answer from the exchange
        expect(bounded.readParking!.expiredPaths).toBe(1);
        served.length = 0;

        // the held server: one read after another, each parked before the next is sent
        const answers: Promise<{ status: number; body: unknown; at: number }>[] = [];
        for (const [i, path] of HELD.entries()) {
          answers.push(get(held, path));
          await waitFor(() => held.readParking!.waiting === i + 1, `read ${i + 1} parked`);
        }
        // the stream is not held: a log line written now reaches a client of the same server
        rt.logger.warn('a line while the reads wait');
        await waitFor(() => ws.events.some((e) => (e.data as { msg?: string }).msg === 'a line while the reads wait'), 'the log event');
        expect(served).toEqual([]);
        expect(held.readParking!.waiting).toBe(HELD.length);

        expect(emu.answerDelayedNow()).toBe(1);
        const done = await Promise.all(answers);
        expect(done.map((a) => a.status)).toEqual(HELD.map(() => 200));
        expect(served).toEqual(HELD);
        // none was answered before the path ended, and what they say is the state after the sale
        for (const a of done) expect(a.at).toBeGreaterThan(pathEndedAt);
        const positions = done.filter((_, i) => HELD[i] === '/bot/positions').map((a) => a.body as Position[]);
        for (const p of positions) expect(p.map((x) => x.id)).not.toContain(position.id);
        expect(held.readParking!.expiredPaths).toBe(0);
        expect(held.readParking!.parkedTotal).toBe(HELD.length);
      } finally {
        ws.ws.close();
        await held.close();
        await bounded.close();
      }
    });
  }, 90_000);
});
