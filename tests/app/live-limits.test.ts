// Live limits (docs/contract.md §9) and the entries' price band, with the real ccxt client against the local binance emulator:
// the limits come from the environment (headless) or the desktop Settings (IPC only), the management API trades
// inside them and cannot lift them, and an entry sent at market is a limit IOC within max_slippage_pct.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import { resolveLiveLimits } from '../../src-main/operations/live-limits';
import { EnvError, readEnv } from '../../src-main/app/env';
import type { BotEvent, OperationName } from '../../src-shared/contract';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { ConfigManager } from '../../src-main/engine/config/config-manager';

describe('BOT_LIVE_* in the environment (readEnv)', () => {
  const read = (vars: Record<string, string>) => readEnv({ BOT_DATA_DIR: '/tmp/botdesk-env-test', ...vars });
  const refusal = (vars: Record<string, string>): string => {
    try {
      read(vars);
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('reads the markets, the ceiling and the max order; unset means Settings or the defaults', () => {
    expect(read({}).liveLimits).toEqual({});
    expect(
      read({ BOT_LIVE_MARKETS: ' eth/btc, LTC/BTC,ETH/BTC ', BOT_LIVE_MAX_DAILY_LOSS_PCT: '4.5', BOT_LIVE_MAX_ORDER: '0.02' }).liveLimits,
    ).toEqual({ markets: ['ETH/BTC', 'LTC/BTC'], maxDailyLossPct: 4.5, maxOrder: 0.02 });
    expect(resolveLiveLimits({}, { markets: ['XRP/USDT'], max_daily_loss_pct: 3, max_order: 20 })).toMatchObject({
      markets: ['XRP/USDT'],
      maxDailyLossPct: 3,
      maxOrder: 20,
    });
    // a variable that is set wins over what the desktop Settings saved
    expect(resolveLiveLimits({ maxOrder: 5 }, { markets: [], max_daily_loss_pct: 3, max_order: 20 })).toMatchObject({
      markets: [],
      maxDailyLossPct: 3,
      maxOrder: 5,
    });
    expect(resolveLiveLimits()).toMatchObject({ markets: [], maxDailyLossPct: 10, maxOrder: null });
  });

  it('a limit that is not a number, or a market that is not a symbol: one line naming the variable', () => {
    for (const [vars, pattern] of [
      [{ BOT_LIVE_MAX_DAILY_LOSS_PCT: 'ten' }, /^BOT_LIVE_MAX_DAILY_LOSS_PCT=ten is not a percentage above 0 and at most 100/],
      [{ BOT_LIVE_MAX_DAILY_LOSS_PCT: '0' }, /^BOT_LIVE_MAX_DAILY_LOSS_PCT=0 is not/],
      [{ BOT_LIVE_MAX_DAILY_LOSS_PCT: '150' }, /^BOT_LIVE_MAX_DAILY_LOSS_PCT=150 is not/],
      [{ BOT_LIVE_MAX_ORDER: '1e3' }, /^BOT_LIVE_MAX_ORDER=1e3 is not an amount above 0/],
      [{ BOT_LIVE_MAX_ORDER: '-5' }, /^BOT_LIVE_MAX_ORDER=-5 is not an amount above 0/],
      [{ BOT_LIVE_MAX_ORDER: '100 USDT' }, /^BOT_LIVE_MAX_ORDER=100 USDT is not/],
      [{ BOT_LIVE_MARKETS: 'ETH/BTC,ETHBTC' }, /^BOT_LIVE_MARKETS: "ETHBTC" is not a market; write BASE\/QUOTE symbols/],
    ] as const) {
      const message = refusal(vars);
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });
});

const HANDS_ONLY = { enabled: false, stop_loss_pct: 10, take_profit_pct: 10, position_size_pct: 10, max_positions: 3 };
const orderPosts = (emu: BinanceEmulator) => emu.requests({ method: 'POST', path: '/api/v3/order' });

describe('live limits from the environment, through the real composition (env → services → runtime → HTTP)', () => {
  let emu: BinanceEmulator;
  let desk: DeskHarness;
  let keyFile: string;
  const dirs: string[] = [];
  const liveEnv = (extra: Record<string, string>) => ({
    BOT_MODE: 'live',
    BOT_LIVE_CONFIRM: 'yes',
    BOT_MARKET: 'live',
    BOT_EXCHANGE_API_URL: emu.url,
    BOT_EXCHANGE_KEY_FILE: keyFile,
    ...extra,
  });
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'botdesk-live-limits-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice('XRP/USDT', 0.5);
    emu.setPrice('ETH/USDT', 3000);
    const keys = freshDir();
    keyFile = join(keys, 'keys.json');
    writeFileSync(keyFile, JSON.stringify({ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }), { mode: 0o600 });
    desk = await startDesk({ dataDir: freshDir(), env: liveEnv({ BOT_LIVE_MARKETS: 'ETH/USDT,BTC/USDT', BOT_LIVE_MAX_ORDER: '100' }) });
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await emu?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a config symbol outside BOT_LIVE_MARKETS moves to the first listed market at start: a config version by startup and a log line', async () => {
    const config = (await desk.call('GET', '/bot/config')).body;
    expect(config).toMatchObject({ symbol: 'ETH/USDT', max_slippage_pct: 0.5 });
    const history = (await desk.call('GET', '/bot/config/history')).body.versions;
    expect(history[0]).toMatchObject({ actor: 'startup', changes: [{ field: 'symbol', from: 'XRP/USDT', to: 'ETH/USDT' }] });
    expect(
      desk.stderr.some((l) => /XRP\/USDT is not in BOT_LIVE_MARKETS \(ETH\/USDT, BTC\/USDT\); trading ETH\/USDT instead/.test(l)),
    ).toBe(true);
    expect((await desk.call('GET', '/bot/status')).body).toMatchObject({ symbol: 'ETH/USDT', state: 'stopped' });
  });

  it('a symbol outside the list is 400 naming symbol and the allowed list; nothing changes', async () => {
    const before = (await desk.call('GET', '/bot/config')).body;
    const r = await desk.call('PUT', '/bot/config', { symbol: 'XRP/USDT' });
    expect(r.status).toBe(400);
    expect(r.body.fields.symbol).toMatch(/may use only ETH\/USDT, BTC\/USDT \(BOT_LIVE_MARKETS\)/);
    expect((await desk.call('GET', '/bot/config')).body).toEqual(before);
    // a listed one is fine
    expect((await desk.call('PUT', '/bot/config', { symbol: 'BTC/USDT' })).status).toBe(200);
    expect((await desk.call('PUT', '/bot/config', { symbol: 'ETH/USDT', ...HANDS_ONLY })).status).toBe(200);
  });

  it('max_daily_loss_pct can be lowered but not turned off or raised over the ceiling (400 naming the field and the limit)', async () => {
    const before = (await desk.call('GET', '/bot/config')).body;
    for (const bad of [0, 10.5, 50]) {
      const r = await desk.call('PUT', '/bot/config', { max_daily_loss_pct: bad });
      expect(r.status).toBe(400);
      expect(r.body.fields).toEqual({
        max_daily_loss_pct: expect.stringMatching(/above 0 and at most 10 \(BOT_LIVE_MAX_DAILY_LOSS_PCT, default\)/),
      });
    }
    expect((await desk.call('GET', '/bot/config')).body).toEqual(before);
    const r = await desk.call('PUT', '/bot/config', { max_daily_loss_pct: 2 });
    expect(r.status).toBe(200);
    expect(r.body.config.max_daily_loss_pct).toBe(2);
  });

  it('an entry worth more than BOT_LIVE_MAX_ORDER is 409 before anything is sent; a smaller one goes', async () => {
    expect((await desk.call('POST', '/bot/start')).status).toBe(200);
    const sent = orderPosts(emu).length;
    // 10% of 10,000 USDT = 1,000 USDT > 100
    const r = await desk.call('POST', '/bot/positions', { size_pct: 10 });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/worth 999(\.\d+)? USDT, over the most one order may be worth: 100 USDT \(BOT_LIVE_MAX_ORDER\)/);
    expect(orderPosts(emu).length).toBe(sent);
    expect((await desk.call('GET', '/bot/positions')).body).toEqual([]);
    expect(desk.stderr.some((l) => /entry not sent: .*BOT_LIVE_MAX_ORDER/.test(l))).toBe(true);
    const ok = await desk.call('POST', '/bot/positions', { size_pct: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.position.amount * ok.body.position.entry_price).toBeLessThanOrEqual(100);
  });

  it('a control token has no route to the limits: PUT /live-limits is 404, PUT /settings with live_limits is 400; GET /settings shows them', async () => {
    const put = await desk.call('PUT', '/live-limits', { max_order: 1_000_000 });
    expect(put.status).toBe(404);
    expect(put.body.error).toMatch(
      /not served over the management API: exchange keys and live limits are set in the desktop app's window only/,
    );
    const viaSettings = await desk.call('PUT', '/settings', { live_limits: { max_order: 1_000_000 } });
    expect(viaSettings.status).toBe(400);
    const view = (await desk.call('GET', '/settings')).body;
    expect(view.live_limits).toEqual({
      in_force: { markets: ['ETH/USDT', 'BTC/USDT'], max_daily_loss_pct: 10, max_order: 100 },
      from_env: ['BOT_LIVE_MARKETS', 'BOT_LIVE_MAX_ORDER'],
    });
    const openapi = (await desk.call('GET', '/openapi.json')).text;
    expect(openapi).not.toContain('/live-limits');
    expect(openapi).toContain('max_slippage_pct');
  });

  it('an unknown market in BOT_LIVE_MARKETS: one line at start naming it, nothing started', async () => {
    const dataDir = freshDir();
    await expect(startDesk({ dataDir, env: liveEnv({ BOT_LIVE_MARKETS: 'ETH/USDT,DOGE/USDT' }) })).rejects.toThrow(
      /^BOT_LIVE_MARKETS: DOGE\/USDT cannot be traded \([^\n]*\); remove it from the list or correct it\.$/,
    );
  });

  it('a stored max_daily_loss_pct outside the ceiling (25, or 0 = off) is set to the ceiling at start, as a startup config version with a log line', async () => {
    for (const stored of [25, 0]) {
      const dataDir = freshDir();
      // a config written before these limits existed (or in paper mode, where they do not apply)
      const store = new SqliteStore(dataDir);
      new ConfigManager(store, Date.now()).update({
        patch: { max_daily_loss_pct: stored, symbol: 'ETH/USDT' },
        actor: 'test',
        openPositions: 0,
        now: Date.now(),
      });
      store.close();
      const live = await startDesk({ dataDir, env: liveEnv({ BOT_LIVE_MAX_DAILY_LOSS_PCT: '4' }) });
      try {
        expect((await live.call('GET', '/bot/config')).body.max_daily_loss_pct).toBe(4);
        expect((await live.call('GET', '/bot/config/history')).body.versions[0]).toMatchObject({
          actor: 'startup',
          changes: [{ field: 'max_daily_loss_pct', from: stored, to: 4 }],
        });
        expect(live.stderr.some((l) => l.includes(`max_daily_loss_pct was ${stored}`) && l.includes('so it is now 4'))).toBe(true);
        // with no BOT_LIVE_MARKETS the config's symbol at start is the one market
        const r = await live.call('PUT', '/bot/config', { symbol: 'XRP/USDT' });
        expect(r.status).toBe(400);
        expect(r.body.fields.symbol).toMatch(/may use only ETH\/USDT/);
      } finally {
        await live.close();
      }
    }
  }, 60_000);
});

describe('live limits set in the desktop Settings (IPC), never over HTTP', () => {
  let emu: BinanceEmulator;
  let keyFile: string;
  const dirs: string[] = [];
  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice('XRP/USDT', 0.5);
    const d = mkdtempSync(join(tmpdir(), 'botdesk-live-limits-ipc-'));
    dirs.push(d);
    keyFile = join(d, 'keys.json');
    writeFileSync(keyFile, JSON.stringify({ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }), { mode: 0o600 });
  });
  afterAll(async () => {
    await emu?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the window saves them (a control token over HTTP cannot); the next live start runs under them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-limits-ipc-'));
    dirs.push(dataDir);
    const env = { BOT_MODE: 'live', BOT_MARKET: 'live', BOT_EXCHANGE_API_URL: emu.url, BOT_EXCHANGE_KEY_FILE: keyFile };
    const first = await startDesk({ dataDir, env });
    const refused = await first.window('updateLiveLimits', { body: { max_order: -5 } });
    expect(refused).toMatchObject({ ok: false, status: 400, body: { fields: { max_order: expect.any(String) } } });
    const saved = await first.window('updateLiveLimits', {
      body: { markets: ['XRP/USDT', 'ETH/USDT'], max_daily_loss_pct: 3, max_order: 50 },
    });
    expect(saved).toMatchObject({
      ok: true,
      data: { settings: { settings: { live_limits: { markets: ['XRP/USDT', 'ETH/USDT'], max_daily_loss_pct: 3, max_order: 50 } } } },
    });
    expect((await first.call('PUT', '/live-limits', { max_order: 1e6 })).status).toBe(404);
    expect((await first.call('GET', '/bot/audit')).body.records.some((r: { action: string }) => r.action === 'update_live_limits')).toBe(
      true,
    );
    // saved now, in force from the next start
    expect((await first.call('GET', '/settings')).body.live_limits.in_force).toEqual({
      markets: [],
      max_daily_loss_pct: 10,
      max_order: null,
    });
    await first.close();

    const live = await startDesk({ dataDir, env });
    try {
      expect((await live.call('GET', '/settings')).body.live_limits).toEqual({
        in_force: { markets: ['XRP/USDT', 'ETH/USDT'], max_daily_loss_pct: 3, max_order: 50 },
        from_env: [],
      });
      // the default config's 5% is over the saved ceiling of 3: set to 3 at start
      expect((await live.call('GET', '/bot/config')).body).toMatchObject({ symbol: 'XRP/USDT', max_daily_loss_pct: 3 });
      const r = await live.call('PUT', '/bot/config', { max_daily_loss_pct: 4 });
      expect(r.body.fields.max_daily_loss_pct).toMatch(/at most 3 \(the live limits in Settings/);
      expect((await live.call('PUT', '/bot/config', { symbol: 'BTC/USDT' })).body.fields.symbol).toMatch(
        /may use only XRP\/USDT, ETH\/USDT/,
      );
      expect((await live.call('PUT', '/bot/config', HANDS_ONLY)).status).toBe(200);
      await live.call('POST', '/bot/start');
      const entry = await live.call('POST', '/bot/positions', { size_pct: 10 });
      expect(entry.status).toBe(409);
      expect(entry.body.error).toMatch(/over the most one order may be worth: 50 USDT \(the live limits in Settings/);
    } finally {
      await live.close();
    }
  }, 60_000);
});

describe('entries at market are price-protected: a limit IOC at the last price + max_slippage_pct', () => {
  const SYMBOL = 'XRP/USDT';
  let emu: BinanceEmulator;
  let dataDir: string;
  let rt: BotRuntime;
  const events: BotEvent[] = [];
  const call = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(rt.handlers, name, raw, { actor: 'test' });

  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-band-'));
    rt = await createBotRuntime({
      dataDir,
      mode: 'live',
      market: { kind: 'live' },
      liveLimits: resolveLiveLimits(),
      exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
      credentials: { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET },
      live: { watchEveryMs: 150, unknownGraceMs: 2_000 },
    });
    rt.events.subscribe((e) => events.push(e));
    await call('updateConfig', { body: { ...HANDS_ONLY, max_slippage_pct: 1 } });
    await call('startBot');
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await emu?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("fills in full: one LIMIT IOC at the exchange's last price + 1%, filled at the market price", async () => {
    emu.setPrice(SYMBOL, 0.52); // moved since the last candle: a person's entry asks the exchange for its last price
    const p = (await call('openPosition', { body: { size_pct: 5 } })).position;
    const post = orderPosts(emu).at(-1)!; // the entry (the OCO pair goes to /api/v3/orderList/oco)
    expect(post.params).toMatchObject({ side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '0.5252' });
    expect(p.entry_price).toBe(0.52);
    const buy = emu.orders(SYMBOL).find((o) => o.clientOrderId === post.params.newClientOrderId)!;
    expect(buy).toMatchObject({ status: 'FILLED', executedQty: buy.origQty });
    await call('closeAll');
    await call('resumeBot');
  });

  it('fills in part: a position of what filled, the rest dropped and said so', async () => {
    emu.setFillRatio(SYMBOL, 0.5);
    try {
      const p = (await call('openPosition', { body: { size_pct: 5 } })).position;
      const buy = emu
        .orders(SYMBOL)
        .filter((o) => o.side === 'BUY')
        .at(-1)!;
      expect(buy.status).toBe('EXPIRED');
      expect(buy.executedQty).toBeCloseTo(Math.floor(buy.origQty * 0.5 * 10) / 10, 9);
      // binance took 0.1% of the coins bought
      expect(p.amount).toBeCloseTo(Math.floor(buy.executedQty * 0.999 * 10) / 10, 9);
      const legs = emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW');
      expect(legs.every((o) => o.origQty === p.amount)).toBe(true);
      expect(
        rt.logger
          .tail('warn', 50)
          .some((r) => r.msg.includes(`filled ${buy.executedQty} of ${buy.origQty} XRP`) && r.msg.includes('were dropped')),
      ).toBe(true);
    } finally {
      emu.setFillRatio(SYMBOL, 1);
    }
    await call('closeAll');
    await call('resumeBot');
  });

  it('fills nothing when the price moved beyond the band: 502 saying so, an error event and a log line, no position', async () => {
    const positions = (await call('getPositions')).length;
    // the ticker is read at 0.5, then the market jumps 3% before the order arrives
    emu.setPrice(SYMBOL, 0.5);
    emu.fault({ kind: 'delay', path: '/api/v3/ticker/24hr', method: 'GET', delayMs: 400 });
    const tickers = emu.requests({ method: 'GET', path: '/api/v3/ticker/24hr' }).length;
    const entry = call('openPosition', { body: { size_pct: 5 } });
    // the entry's ticker request has arrived (it is answered 400 ms later): the market jumps meanwhile
    await emu.waitForRequest({ method: 'GET', path: '/api/v3/ticker/24hr' }, { count: tickers + 1 });
    emu.setPrice(SYMBOL, 0.515);
    await expect(entry).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/price moved beyond max_slippage_pct: nothing was offered at or under 0\.505 USDT/),
    });
    const buy = emu
      .orders(SYMBOL)
      .filter((o) => o.side === 'BUY')
      .at(-1)!;
    expect(buy).toMatchObject({ type: 'LIMIT', price: 0.505, status: 'EXPIRED', executedQty: 0 });
    expect((await call('getPositions')).length).toBe(positions);
    expect(events.some((e) => e.type === 'error' && e.data.code === 'order_rejected' && /max_slippage_pct/.test(e.data.message))).toBe(
      true,
    );
    expect(rt.logger.tail('warn', 50).some((r) => /not filled: the price moved beyond max_slippage_pct/.test(r.msg))).toBe(true);
    expect((await call('getStatus')).state).toBe('running');
  });

  it('exits stay at market', async () => {
    emu.setPrice(SYMBOL, 0.5);
    await call('openPosition', { body: { size_pct: 5 } });
    await call('closeAll');
    const sell = orderPosts(emu).at(-1)!;
    expect(sell.params).toMatchObject({ side: 'SELL', type: 'MARKET' });
    expect(sell.params.timeInForce).toBeUndefined();
  });
});
