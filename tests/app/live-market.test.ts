// Paper trading on live market data (docs/contract.md §7: BOT_MODE=paper BOT_MARKET=live): the real ccxt client against the
// local binance emulator. Markets and rules come from the exchange, closed candles arrive on the exchange's clock,
// an outage is back-filled in order, and bad exchange settings stop the start in one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import { openLiveMarket } from '../../src-main/engine/adapters/ccxt/live-market';
import { createLogger } from '../../src-main/engine/log/logger';
import { CONNECTION_LOG_FIELD, type Candle, type OperationName } from '../../src-shared/contract';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { waitFor } from '../helpers/wait';

const FIVE_MIN = 300_000;
const tmp = () => mkdtempSync(join(tmpdir(), 'botdesk-live-'));
const call = <N extends OperationName>(rt: BotRuntime, name: N, query: Record<string, string> = {}) =>
  invokeOperation(rt.handlers, name, { query }, { actor: 'test' });

describe('paper trading on live market data', () => {
  let emu: BinanceEmulator;
  let rt: BotRuntime;
  let offset = 0;
  beforeAll(async () => {
    emu = await startBinanceEmulator({});
    // the exchange's clock is set 8 s short of a 5-minute close, so a candle closes on it within seconds
    const now = Date.now();
    offset = Math.ceil(now / FIVE_MIN) * FIVE_MIN - 8_000 - now;
    emu.setClockOffset(offset);
    rt = await createBotRuntime({ dataDir: tmp(), market: { kind: 'live' }, exchange: { id: 'binance', sandbox: false, apiUrl: emu.url } });
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await emu?.close();
  });

  it("says where the data comes from, and warms up on the exchange's closed candles", async () => {
    const status = await call(rt, 'getStatus');
    expect(status).toMatchObject({
      mode: 'paper',
      market: 'live',
      exchange: 'binance',
      sandbox: false,
      symbol: 'XRP/USDT',
      timeframe: '5m',
    });
    const { candles } = await call(rt, 'getCandles', { limit: '1000' });
    expect(candles).toHaveLength(300);
    const exchangeNow = Date.now() + offset;
    for (let i = 1; i < candles.length; i++) expect(candles[i].ts - candles[i - 1].ts).toBe(FIVE_MIN);
    expect(candles.at(-1)!.ts % FIVE_MIN).toBe(0);
    // the newest is the last one closed by the exchange's clock, not by ours
    expect(candles.at(-1)!.ts).toBe(Math.floor(exchangeNow / FIVE_MIN) * FIVE_MIN - FIVE_MIN);
    expect(candles.at(-1)!.close).toBe(0.5);
    // public data only: nothing signed was sent, no key was needed
    expect(emu.requests().filter((r) => r.path.startsWith('/api/v3/account') || r.path === '/api/v3/order')).toEqual([]);
    expect(emu.requests().map((r) => r.path)).toContain('/api/v3/exchangeInfo');
  });

  it("hands over the candle that closes on the exchange's clock, once, and back-fills through an outage", async () => {
    const before = (await call(rt, 'getCandles', { limit: '5' })).candles.at(-1) as Candle;
    emu.setPrice('XRP/USDT', 0.5123);
    // the first polls after the close fail: the feed retries with backoff, then fetches what it missed
    emu.fault({ kind: '503', path: '/api/v3/klines', times: 4 });
    const next = await waitFor(
      async () => {
        const c = (await call(rt, 'getCandles', { limit: '5' })).candles;
        return c.at(-1)!.ts > before.ts ? c : null;
      },
      'the next closed candle',
      30_000,
      100,
    );
    expect(next.at(-1)!.ts).toBe(before.ts + FIVE_MIN);
    expect(next.at(-2)!.ts).toBe(before.ts); // handed over once: no repeat, no gap
    expect(next.at(-1)!.close).toBe(0.5123);
    expect((await call(rt, 'getStatus')).last_price).toBe(0.5123);
    const logs = rt.logger.tail('info', 200).map((r) => r.msg);
    expect(logs.some((m) => /market data is back after \d+ failed poll/.test(m))).toBe(true);
    // a short blip is not a lost connection: nothing marks the link lost or restored (no desktop notice)
    expect(rt.logger.tail('info', 200).filter((r) => CONNECTION_LOG_FIELD in r)).toEqual([]);
    // a forming candle is never handed over: nothing newer than the one that closed
    await new Promise((r) => setTimeout(r, 2500));
    expect((await call(rt, 'getCandles', { limit: '5' })).candles.at(-1)!.ts).toBe(before.ts + FIVE_MIN);
  }, 40_000);
});

describe('switching the live market by hot reload', () => {
  let emu: BinanceEmulator;
  let rt: BotRuntime;
  beforeAll(async () => {
    emu = await startBinanceEmulator({});
    rt = await createBotRuntime({ dataDir: tmp(), market: { kind: 'live' }, exchange: { id: 'binance', sandbox: false, apiUrl: emu.url } });
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await emu?.close();
  });
  const put = (body: object) => invokeOperation(rt.handlers, 'updateConfig', { body }, { actor: 'test' });

  it('refuses a symbol the exchange does not list or has halted, naming the field, and changes nothing', async () => {
    const before = (await call(rt, 'getConfig')).version;
    await expect(put({ symbol: 'DOGE/USDT' })).rejects.toMatchObject({
      status: 400,
      fields: { symbol: expect.stringMatching(/binance has no spot market DOGE\/USDT/) },
    });
    await expect(put({ symbol: 'XMR/USDT' })).rejects.toMatchObject({ status: 400, fields: { symbol: expect.stringMatching(/inactive/) } });
    expect((await call(rt, 'getConfig')).version).toBe(before);
  });

  it('trades another symbol and timeframe without a restart: feed, chart and rules follow', async () => {
    await put({ symbol: 'ETH/USDT', timeframe: '1m' });
    const candles = await waitFor(async () => {
      const c = await call(rt, 'getCandles', { limit: '1000' });
      return c.symbol === 'ETH/USDT' && c.candles.at(-1)?.close === 3000 ? c.candles : null;
    }, 'the ETH/USDT candles');
    expect(candles.length).toBe(300);
    for (let i = 1; i < candles.length; i++) expect(candles[i].ts - candles[i - 1].ts).toBe(60_000);
    const status = await call(rt, 'getStatus');
    expect([status.symbol, status.timeframe, status.last_price]).toEqual(['ETH/USDT', '1m', 3000]);
    expect(rt.logger.tail('info', 50).some((r) => /now trading ETH\/USDT 1m/.test(r.msg))).toBe(true);
    // the paper account trades the new market by its rules: an entry is sized on ETH's step
    await call(rt, 'getStatus');
    const { position } = await invokeOperation(rt.handlers, 'openPosition', { body: { size_pct: 5 } }, { actor: 'test' });
    expect(position.symbol).toBe('ETH/USDT');
    expect(Math.abs(position.amount / 0.0001 - Math.round(position.amount / 0.0001))).toBeLessThan(1e-6);
  });
});

describe('bad exchange settings stop the start in one line', () => {
  let emu: BinanceEmulator;
  beforeAll(async () => {
    emu = await startBinanceEmulator({});
  });
  afterAll(() => emu.close());
  const open = (symbol: string, id = 'binance') =>
    openLiveMarket({ spec: { id, sandbox: false, apiUrl: emu.url }, symbol, timeframe: '5m', logger: createLogger(), warmup: 10 });

  it('an unknown exchange, a symbol it does not list, an inactive market', async () => {
    await expect(open('XRP/USDT', 'nosuchexchange')).rejects.toThrow(/BOT_EXCHANGE=nosuchexchange is not an exchange ccxt knows/);
    await expect(open('DOGE/USDT')).rejects.toThrow(/binance has no spot market DOGE\/USDT/);
    await expect(open('XMR/USDT')).rejects.toThrow(/lists XMR\/USDT as inactive/);
  });

  it("takes the market's rules from the exchange's filters", async () => {
    const live = await open('ETH/USDT');
    live.feed.stop();
    expect(live.rules).toEqual({
      symbol: 'ETH/USDT',
      base: 'ETH',
      quote: 'USDT',
      amountStep: 0.0001,
      priceStep: 0.01,
      minAmount: 0.0001,
      minNotional: 5,
    });
  });

  it('leaves the data directory free after a failed start', async () => {
    const dataDir = tmp();
    await expect(
      createBotRuntime({ dataDir, market: { kind: 'live' }, exchange: { id: 'binance', sandbox: false, apiUrl: 'http://127.0.0.1:9' } }),
    ).rejects.toThrow(/could not load binance's markets: \w+/);
    const rt = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 1 } });
    await rt.close();
  });
});
