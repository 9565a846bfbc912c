// The live feed asks for a candle the moment it closes on the exchange's clock, and never hands over a forming one
// (issue 21 item 1): the real ccxt client against the binance emulator, which serves the forming candle until its
// close as binance does. How fast is measured by `npm run bench -- live`; here only a generous bound (1 s).
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange } from 'ccxt';
import { openExchange } from '../../src-main/engine/adapters/ccxt/open-exchange';
import { LiveFeed } from '../../src-main/engine/adapters/ccxt/live.feed';
import { createLogger } from '../../src-main/engine/log/logger';
import type { Candle } from '../../src-shared/contract';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';

const MINUTE = 60_000;
const SYMBOL = 'XRP/USDT';
const KLINES = { method: 'GET', path: '/api/v3/klines' } as const;

describe('live candles at the close', () => {
  let emu: BinanceEmulator | undefined;
  let feed: LiveFeed | undefined;
  afterEach(async () => {
    feed?.stop();
    await emu?.close();
  });

  /** an emulator whose clock reads `lead` ms before a minute's close, and a ccxt client on it */
  async function exchangeShortOfClose(lead: number): Promise<{ exchange: Exchange; close: number; skew: number }> {
    emu = await startBinanceEmulator({});
    emu.setPrice(SYMBOL, 0.5);
    const exchange = await openExchange({ id: 'binance', sandbox: false, apiUrl: emu.url }); // ccxt loaded before the clock is set
    const wall = Date.now();
    const close = Math.ceil((wall + lead + 1000) / MINUTE) * MINUTE;
    const skew = close - lead - wall;
    emu.setClockOffset(skew);
    return { exchange, close, skew };
  }

  /** the next candle handed over, with the exchange's time when it was */
  function nextCandle(f: LiveFeed, exchangeNow: () => number): Promise<{ candle: Candle; at: number }> {
    return new Promise((resolve) =>
      f.onReady(() => {
        const candle = f.next();
        if (candle) resolve({ candle, at: exchangeNow() });
      }),
    );
  }

  it('asks at the close and hands over the closed candle with its last price, within a second', async () => {
    const { exchange, close, skew } = await exchangeShortOfClose(4_000);
    const exchangeNow = () => Date.now() + skew;
    feed = new LiveFeed({ exchange, symbol: SYMBOL, timeframe: '1m', logger: createLogger({ level: 'warn' }), warmup: 10 });
    await feed.start();
    expect(feed.history(1)[0].ts).toBe(close - 2 * MINUTE); // the forming candle is not part of the warm-up
    const handed = nextCandle(feed, exchangeNow);
    await new Promise((r) => setTimeout(r, Math.max(0, close - 1_000 - exchangeNow())));
    emu!.setPrice(SYMBOL, 0.5123);
    const { candle, at } = await handed;

    expect(candle).toMatchObject({ ts: close - MINUTE, close: 0.5123 });
    expect(at).toBeGreaterThanOrEqual(close);
    expect(at - close).toBeLessThan(1_000);
    // asked once the exchange's clock had passed the close, with nothing waiting for a settling delay
    const asked = emu!.requests(KLINES).filter((r) => r.ts >= close - 2_000);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0].ts).toBeGreaterThanOrEqual(close);
    expect(asked[0].ts - close).toBeLessThan(1_000);
  }, 60_000);

  it('when our clock runs ahead of the exchange, the forming candle it still sends is not handed over', async () => {
    const { exchange, close, skew } = await exchangeShortOfClose(5_000);
    feed = new LiveFeed({ exchange, symbol: SYMBOL, timeframe: '1m', logger: createLogger({ level: 'warn' }), warmup: 10 });
    await feed.start(); // the feed measures the exchange's clock here…
    const drift = 2_000;
    emu!.setClockOffset(skew - drift); // …which then falls behind it, as a drifting local clock would
    const exchangeNow = () => Date.now() + skew - drift;
    const handed = nextCandle(feed, exchangeNow);
    const times = emu!.requests({ method: 'GET', path: '/api/v3/time' }).length;

    // the feed asks at what it takes for the close: the exchange is still 2 s short of it and sends the forming candle
    const early = await emu!.waitForRequest(KLINES, { count: emu!.requests(KLINES).length + 1, timeoutMs: 15_000 });
    expect(early.ts).toBeLessThan(close);
    emu!.setPrice(SYMBOL, 0.4877); // the candle goes on forming after that answer
    const { candle, at } = await handed;

    expect(candle).toMatchObject({ ts: close - MINUTE, close: 0.4877 });
    expect(at).toBeGreaterThanOrEqual(close);
    expect(at - close).toBeLessThan(1_000);
    // it asked the exchange for its time rather than trusting its own clock
    expect(emu!.requests({ method: 'GET', path: '/api/v3/time' }).length).toBeGreaterThan(times);
  }, 60_000);
});
