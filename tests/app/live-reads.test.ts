// A read token cannot slow the bot's orders (issue 16 item 7): 2,000 GET /bot/balances kept in flight through the
// real API server, from another process, while a candle close makes the live bot exit a position. The exit's order
// reaches the binance emulator within 1 s of the close, and the reads cost the exchange at most one account request a
// second (one shared request, a short cache, on a ccxt client of their own so they never queue before an order).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../../src-main/app/runtime';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import { createLogger } from '../../src-main/engine/log/logger';
import type { ExchangePort } from '../../src-main/engine/ports/exchange.port';
import { createApiServer } from '../../src-main/server/api-server';
import type { OperationName, Trade } from '../../src-shared/contract';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator } from '../exchange-emulator/server';
import { startReadFlood } from '../helpers/read-flood';
import { waitFor } from '../helpers/wait';

const SYMBOL = 'XRP/USDT';
const FIVE_MIN = 300_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('balance reads during a live exit', () => {
  it("2,000 concurrent GET /bot/balances: the exit's order is on the exchange within 1 s of the close; the account is read at most once a second", async () => {
    const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    // the exchange's clock put 25 s short of a 5-minute close: the exit's candle closes while the test runs
    const wall = Date.now();
    const close = Math.ceil(wall / FIVE_MIN) * FIVE_MIN;
    emu.setClockOffset(close - 25_000 - wall);
    const emuNow = () => Date.now() + close - 25_000 - wall;
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-reads-'));
    const logger = createLogger({ level: 'warn' });
    const rt = await createBotRuntime({
      dataDir,
      mode: 'live',
      market: { kind: 'live' },
      logger,
      exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
      credentials: { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET },
      live: { watchEveryMs: 150 },
    });
    const readToken = 'read-token-for-the-balance-flood-0123456789';
    const api = await createApiServer({
      handlers: rt.handlers,
      answerVersions: rt.answerVersions,
      events: rt.events,
      logger,
      controlToken: 'control-token-for-the-balance-flood-0123456789',
      readToken,
      host: '127.0.0.1',
      port: 0,
    });
    const balancesUrl = `${api.url}/api/v1/bot/balances`;
    const flood = await startReadFlood({ url: balancesUrl, token: readToken, concurrency: 2000 });
    const call = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(rt.handlers, name, raw, { actor: 'test' });
    // when the bot read the account for itself (its fresh read on the trading client), on the exchange's clock
    const ownReads: [number, number][] = [];
    const trading = (rt.bot as unknown as { o: { exchange: ExchangePort } }).o.exchange;
    const ownRead = trading.assetBalances.bind(trading);
    trading.assetBalances = async (symbol) => {
      const span: [number, number] = [emuNow(), Infinity];
      ownReads.push(span);
      try {
        return await ownRead(symbol);
      } finally {
        span[1] = emuNow();
      }
    };
    try {
      // entries by hand only; a 900 % take-profit cannot rest on binance (beyond its price band), so the stop rests
      // alone and the bot itself sells at the first candle closing past the target: the exit happens at a close
      await call('updateConfig', {
        body: { enabled: false, stop_loss_pct: 10, take_profit_pct: 900, position_size_pct: 5, max_positions: 3, max_daily_loss_pct: 10 },
      });
      await call('startBot');
      const { position } = await call('openPosition', { body: {} });
      expect(
        emu
          .orders(SYMBOL)
          .filter((o) => o.status === 'NEW')
          .map((o) => o.type),
      ).toEqual(['STOP_LOSS']);
      expect(emuNow()).toBeLessThan(close - 6_000); // the set-up left time before the close

      // the flood starts 5 s before the close (its 2,000 connections are open by then) and goes on past the exit
      await sleep(close - 5_000 - emuNow());
      const from = emuNow();
      await flood.start();
      await sleep(close - 3_000 - emuNow());
      emu.setPrice(SYMBOL, 5.5); // past the 5.0 target: the candle closing at `close` says sell
      const posts = emu.requests({ method: 'POST', path: '/api/v3/order' }).length;
      const exit = await emu.waitForRequest({ method: 'POST', path: '/api/v3/order' }, { count: posts + 1, timeoutMs: 15_000 });
      await sleep(1_500); // the flood goes on after the exit
      const to = emuNow();
      const stats = await flood.stop();

      expect(exit.params).toMatchObject({ side: 'SELL', type: 'MARKET' });
      const lateMs = exit.ts - close;
      expect(lateMs).toBeGreaterThan(0);
      expect(lateMs).toBeLessThanOrEqual(1000);
      // every read was answered, and there were many: 2,000 at a time for 6.5 s
      expect(Object.keys(stats.statuses)).toEqual(['200']);
      expect(stats.unanswered).toBe(0);
      expect(stats.statuses['200']).toBeGreaterThan(2000);
      // at most one account request a second from the reads, whatever the flood; the bot's own orders (which make the
      // next read fresh) do not make them closer either. The bot's own account reads (after its fill: equity is the
      // account) are not the reads': they are told apart by when the bot made them
      const isOwn = (ts: number) => ownReads.some(([a, b]) => ts >= a && ts <= b);
      const all = emu
        .requests({ method: 'GET', path: '/api/v3/account' })
        .filter((r) => r.ts >= from && r.ts <= to)
        .map((r) => r.ts);
      const account = all.filter((ts) => !isOwn(ts));
      expect(all.length - account.length).toBeLessThanOrEqual(ownReads.length);
      expect(account.length).toBeGreaterThanOrEqual(3);
      expect(account.length).toBeLessThanOrEqual(Math.ceil((to - from) / 1000));
      for (let i = 1; i < account.length; i++) expect(account[i] - account[i - 1]).toBeGreaterThanOrEqual(1000);
      const step = (method: string, path: string) => emu.requests({ method, path }).find((r) => r.ts >= close)!.ts - close;
      console.log(
        `exit order ${lateMs} ms after the close (the candle asked for at +${step('GET', '/api/v3/klines')} ms, the stop cancelled at +${step('DELETE', '/api/v3/order')} ms); ${stats.statuses['200']} balance reads answered in ${stats.seconds.toFixed(1)} s ` +
          `(p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms); the emulator saw ${account.length} account requests from them in ${((to - from) / 1000).toFixed(1)} s (and ${all.length - account.length} of the bot's own)`,
      );

      // the sale is what a reader sees next: the bot's fill made the shared answer out of date
      const trade = await waitFor(
        async () => ((await call('getTrades', { query: { limit: '5' } })).trades as Trade[]).find((t) => t.position_id === position.id),
        'the exit trade',
      );
      expect(trade).toMatchObject({ exit_reason: 'take_profit', exit_price: 5.5 });
      const seen = (await (await fetch(balancesUrl, { headers: { Authorization: `Bearer ${readToken}` } })).json()) as {
        balances: { asset: string; total: number }[];
      };
      const held = (asset: string) => emu.balances()[asset].free + emu.balances()[asset].locked;
      expect(seen.balances.map((b) => [b.asset, b.total])).toEqual([
        ['XRP', held('XRP')],
        ['USDT', held('USDT')],
      ]);
    } finally {
      flood.close();
      await api.close();
      await rt.close();
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
