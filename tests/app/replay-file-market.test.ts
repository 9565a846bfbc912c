// A replay file named BASE_QUOTE-TF.json gives the run its market: status, candles, orders and trades name the market
// whose prices they are. A name the candles contradict stops the start with one clear sentence.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import type { OperationName } from '../../src-shared/contract';
import { loadCandleFile, marketFromFileName } from '../../src-main/engine/feeds/candle-file';
import { ALT_1M, XRP_1H, XRP_5M } from '../helpers/candles';
import { waitFor } from '../helpers/wait';

const call = <N extends OperationName>(rt: BotRuntime, name: N, query: Record<string, string> = {}) =>
  invokeOperation(rt.handlers, name, { query }, { actor: 'test' });
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `botdesk-${tag}-`));
/** the fixture under another name, in a fresh folder */
const renamed = (file: string, name: string) => {
  const path = join(tmp('candles'), name);
  copyFileSync(file, path);
  return path;
};

describe('market from the candle file name', () => {
  it('reads BASE_QUOTE-TF.json, with or without a prefix, and says nothing for other names', () => {
    const alt = loadCandleFile(ALT_1M);
    expect(marketFromFileName(ALT_1M, alt)).toEqual({ symbol: 'ALT/BTC', timeframe: '1m' });
    expect(marketFromFileName('/data/sample-XRP_USDT-5m.json', loadCandleFile(XRP_5M))).toEqual({ symbol: 'XRP/USDT', timeframe: '5m' });
    expect(marketFromFileName(XRP_1H, loadCandleFile(XRP_1H))).toEqual({ symbol: 'XRP/USDT', timeframe: '1h' });
    expect(marketFromFileName('/data/candles.json', alt)).toBeNull();
    expect(marketFromFileName('/data/ALT-BTC.json', alt)).toBeNull();
  });

  it('refuses a name whose timeframe the candles contradict, or that BotDesk does not trade', () => {
    expect(() => marketFromFileName('/x/LTC_BTC-5m.json', loadCandleFile(ALT_1M))).toThrow(
      /LTC_BTC-5m\.json is named for 5m candles but its candles are 1m apart/,
    );
    expect(() => marketFromFileName('/x/XRP_USDT-1w.json', loadCandleFile(XRP_5M))).toThrow(/timeframe 1w, which BotDesk does not trade/);
  });
});

describe('a replay run takes its market from the file', () => {
  it("labels status, candles, config and trades with the file's market, and logs why", async () => {
    const path = renamed(ALT_1M, 'LTC_BTC-1m.json');
    const rt = await createBotRuntime({ dataDir: tmp('named'), market: { kind: 'replay', path }, replaySpeed: 'max' });
    try {
      const status = await call(rt, 'getStatus');
      expect([status.symbol, status.timeframe]).toEqual(['LTC/BTC', '1m']);
      const candles = await call(rt, 'getCandles', { limit: '5' });
      expect([candles.symbol, candles.timeframe]).toEqual(['LTC/BTC', '1m']);
      const versions = (await call(rt, 'getConfigHistory', { limit: '10' })).versions;
      expect(versions[0]).toMatchObject({ actor: 'startup', reason: 'replay file LTC_BTC-1m.json' });
      // the quote is BTC: the paper account is a believable BTC balance, not 10,000 of it
      expect(versions[0].changes.map((c) => c.field).sort()).toEqual(['paper_balance', 'symbol', 'timeframe']);
      expect(versions[0].config.paper_balance).toBe(0.1);
      expect(
        rt.logger.tail('info', 1000).some((r) => /LTC_BTC-1m\.json: symbol LTC\/BTC and timeframe 1m come from the file name/.test(r.msg)),
      ).toBe(true);
      const trade = await waitFor(async () => (await call(rt, 'getTrades', { limit: '1' })).trades[0], 'a trade');
      expect(trade.symbol).toBe('LTC/BTC');
      // 20% of 0.1 BTC at ~0.0016 BTC a coin: a dozen coins, not a hundred thousand
      expect(trade.amount).toBeGreaterThan(1);
      expect(trade.amount).toBeLessThan(100);
      const stats = await call(rt, 'getStats');
      expect(stats).toMatchObject({ stake_currency: 'BTC', start_equity: 0.1 });
      expect(stats.equity).toBeGreaterThan(0.05);
      expect(stats.equity).toBeLessThan(0.2);
      expect((await call(rt, 'getStatus')).stake_currency).toBe('BTC');
    } finally {
      await rt.close();
    }
  });

  it("keeps the config's market for a file whose name says nothing", async () => {
    const path = renamed(ALT_1M, 'my-candles.json');
    const rt = await createBotRuntime({ dataDir: tmp('unnamed'), market: { kind: 'replay', path }, replaySpeed: 1 });
    try {
      const status = await call(rt, 'getStatus');
      expect([status.symbol, status.timeframe]).toEqual(['XRP/USDT', '5m']);
    } finally {
      await rt.close();
    }
  });

  it('does not start on a file whose name and candles disagree, and leaves the data directory usable', async () => {
    const dataDir = tmp('mismatch');
    const path = renamed(ALT_1M, 'LTC_BTC-5m.json');
    await expect(createBotRuntime({ dataDir, market: { kind: 'replay', path } })).rejects.toThrow(
      /named for 5m candles but its candles are 1m apart/,
    );
    const rt = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 1 } });
    await rt.close();
  });

  it('refuses to relabel a data directory that holds open positions in another market', async () => {
    const dataDir = tmp('open');
    const first = await createBotRuntime({
      dataDir,
      market: { kind: 'replay', path: renamed(XRP_5M, 'XRP_USDT-5m.json') },
      replaySpeed: 'max',
    });
    await waitFor(() => first.bot.executor.openPositionCount > 0 && first.bot.pause(), 'an open position');
    await first.close();
    writeFileSync(join(dataDir, 'note'), 'positions stay open across the restart');
    await expect(createBotRuntime({ dataDir, market: { kind: 'replay', path: renamed(ALT_1M, 'ALT_BTC-1m.json') } })).rejects.toThrow(
      /ALT_BTC-1m\.json holds ALT\/BTC 1m candles but this data directory has \d+ open XRP\/USDT position/,
    );
  });
});
