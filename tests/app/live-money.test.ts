// The first thing a live user does, tried as they would (issue 16): a fresh data directory starts on the default
// XRP/USDT with an account that holds only BTC, then switches to the market they hold funds in (ETH/BTC). Equity is
// the account (docs/contract.md §9) with the real ccxt client against the binance emulator: the start, a manual entry, a
// deposit and a withdrawal made by hand, coins sold by hand, a restart. No figure is ever NaN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotRuntime } from '../../src-main/app/runtime';
import { resolveLiveLimits } from '../../src-main/operations/live-limits';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import type { BotEvent, OperationName } from '../../src-shared/contract';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { DEFAULT_SYMBOLS } from '../exchange-emulator/market-data';
import { expectClose, nonFinite } from '../helpers/money';
import { openLiveRuntime } from '../helpers/live-bot';
import { waitFor } from '../helpers/wait';

const ETH_BTC = { base: 'ETH', quote: 'BTC', tickSize: '0.00001', stepSize: '0.0001', minNotional: '0.0001', price: 0.05 };

describe('live money on the market the user holds funds in', () => {
  let emu: BinanceEmulator;
  let dataDir: string;
  let rt: BotRuntime;
  const events: BotEvent[] = [];
  const open = async () => {
    rt = await openLiveRuntime(dataDir, emu, {
      live: { watchEveryMs: 150, unknownGraceMs: 2_000, accountReadEveryMs: 200 },
      // the user lists the markets live trading may use (BOT_LIVE_MARKETS), the one they hold funds in among them
      liveLimits: resolveLiveLimits({ markets: ['XRP/USDT', 'ETH/BTC'] }),
    });
    rt.events.subscribe((e) => events.push(e));
  };
  const call = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(rt.handlers, name, raw, { actor: 'test' });
  const held = (asset: string) => emu.balances()[asset].free + emu.balances()[asset].locked;
  /** what the account is worth in BTC at the emulator's last price */
  const accountValue = () => held('BTC') + held('ETH') * emu.price('ETH/BTC');
  const identity = async () => {
    const s = await call('getStats');
    expectClose(s.equity, s.start_equity + s.realized_pnl + s.unrealized_pnl + s.net_cash_flow);
    return s;
  };

  beforeAll(async () => {
    emu = await startBinanceEmulator({ symbols: [...DEFAULT_SYMBOLS, ETH_BTC], balances: { BTC: 1 } });
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-money-'));
    await open();
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await emu?.close();
  });

  it('on the default market an account without its quote is a clear state, not a loss', async () => {
    const status = await call('getStatus');
    expect(status).toMatchObject({ symbol: 'XRP/USDT', stake_currency: 'USDT', equity: 0 });
    expect(status.attention).toContain('the account holds 0 USDT: deposit USDT or pick a market whose quote you hold');
    await call('updateConfig', {
      body: { enabled: false, position_size_pct: 20, max_positions: 2, stop_loss_pct: 10, take_profit_pct: 10 },
    });
    await call('startBot');
    await expect(call('openPosition', { body: {} })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('the account holds 0 USDT: deposit USDT or pick a market whose quote you hold'),
    });
    const stats = await call('getStats');
    expect(stats).toMatchObject({ stake_currency: 'USDT', start_equity: 0, equity: 0, net_cash_flow: 0 });
    expect(nonFinite({ status, stats })).toEqual([]);
    expect(emu.requests({ method: 'POST' })).toEqual([]);
  });

  it('switching to ETH/BTC makes the account the start: 1 BTC, in BTC', async () => {
    await call('updateConfig', { body: { symbol: 'ETH/BTC' } });
    const status = await waitFor(async () => {
      const s = await call('getStatus');
      return s.stake_currency === 'BTC' && s.equity > 0 ? s : null;
    }, 'the switch to ETH/BTC and the account read');
    expect(status.equity).toBeCloseTo(1, 12);
    expect(status.attention).toEqual([]);
    const stats = await identity();
    expect(stats).toMatchObject({ stake_currency: 'BTC', start_equity: 1, net_cash_flow: 0 });
    expect((await call('getStatus')).state).toBe('running');
  });

  it('a manual entry spends 20% of the BTC; equity stays what the account holds at the last price', async () => {
    const { position } = await call('openPosition', { body: {} });
    expect(position.symbol).toBe('ETH/BTC');
    expect(position.amount * position.entry_price).toBeGreaterThan(0.19);
    expect(position.amount * position.entry_price).toBeLessThan(0.2);
    await rt.bot.refreshAccount();
    const stats = await identity();
    // the coins binance's fee left under the amount step stay in the account: they are counted, as holdings
    expect(stats.equity).toBeCloseTo(accountValue(), 9);
    expect((await call('getCashflows')).cashflows).toEqual([]);
    await expect(call('updateConfig', { body: { symbol: 'XRP/USDT' } })).rejects.toMatchObject({
      status: 409,
      fields: { symbol: expect.stringContaining('stake currency') },
      message: expect.stringContaining('another data directory'),
    });
  });

  it("a deposit and a withdrawal made by hand are cash flows, not profit; today's P&L does not move", async () => {
    const before = await call('getStats');
    emu.setBalance('BTC', emu.balances().BTC.free + 0.5);
    const deposit = await waitFor(async () => (await call('getCashflows')).cashflows[0], 'the deposit found');
    expect(deposit).toMatchObject({ asset: 'BTC', amount: 0.5, value: 0.5, kind: 'deposit' });
    emu.setBalance('BTC', emu.balances().BTC.free - 0.2);
    await waitFor(async () => (await call('getCashflows')).cashflows.length === 2, 'the withdrawal found');
    const after = await identity();
    expectClose(after.net_cash_flow, 0.3);
    expectClose(after.realized_pnl, before.realized_pnl);
    expectClose(after.today_pnl, before.today_pnl);
    expect(after.equity).toBeCloseTo(accountValue(), 9);
    expect((await call('getStatus')).state).toBe('running');
  });

  it('coins deposited are a cash flow and shown for a person; selling them by hand is external, and the account still agrees', async () => {
    emu.setBalance('ETH', emu.balances().ETH.free + 1);
    await waitFor(async () => (await call('getCashflows')).cashflows.length === 3, 'the coins deposited');
    expect((await call('getCashflows')).cashflows[2]).toMatchObject({ asset: 'ETH', amount: 1, kind: 'deposit' });
    expectClose((await call('getCashflows')).cashflows[2].value, emu.price('ETH/BTC'));
    // sold outside the bot: coins out, BTC in at the market price
    emu.setBalance('ETH', emu.balances().ETH.free - 0.5);
    emu.setBalance('BTC', emu.balances().BTC.free + 0.5 * emu.price('ETH/BTC'));
    await waitFor(async () => (await call('getCashflows')).cashflows.length === 5, 'the hand trade found');
    const flows = (await call('getCashflows')).cashflows.slice(3);
    expect(flows.map((f) => [f.asset, f.amount, f.kind])).toEqual([
      ['ETH', -0.5, 'external'],
      ['BTC', 0.5 * emu.price('ETH/BTC'), 'external'],
    ]);
    const stats = await identity();
    expect(stats.equity).toBeCloseTo(accountValue(), 9);
    // the bot will not sell coins it did not buy: a person is told at the next reconciliation
    await rt.close();
    await open();
    expect((await call('getStatus')).attention.join(' ')).toMatch(/ETH that no position accounts for/);
  });

  it('a restart keeps the start, the cash flows and the equity, and finds nothing new', async () => {
    const before = await call('getStats');
    await rt.close();
    await open();
    const after = await identity();
    for (const k of ['start_equity', 'net_cash_flow', 'realized_pnl', 'stake_currency'] as const) expect(after[k]).toEqual(before[k]);
    expect(after.equity).toBeCloseTo(accountValue(), 9);
    expect((await call('getCashflows')).cashflows).toHaveLength(5);
    expect(nonFinite(events.map((e) => e.data))).toEqual([]);
  });
});

describe('an account the exchange will not read at start', () => {
  it('does not start on a guessed equity: the start fails with one sentence saying why', async () => {
    const emu = await startBinanceEmulator({ balances: { USDT: 1000 } });
    try {
      emu.fault({ kind: '503', path: '/api/v3/account', times: Infinity });
      const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-unread-'));
      await expect(openLiveRuntime(dataDir, emu)).rejects.toThrow(
        /^the exchange did not give the account's orders and balances, so the bot cannot know its equity and will not start: \w+: (?!.*https?:)/,
      );
    } finally {
      await emu.close();
    }
  }, 60_000);
});
