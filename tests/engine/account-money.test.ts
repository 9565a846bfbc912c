// Money that matches the account (docs/contract.md §9), as a property: random deposits, withdrawals, coins moved by hand,
// entries, exits, price moves, symbol switches and restarts against a real bot on a real SQLite file, with a
// simulated account standing in for the exchange's (the bot reads it as a live account). After every step each
// figure is finite, equity is what the account holds at the last price, and
// equity = start_equity + realized_pnl + unrealized_pnl + net_cash_flow to 1e-9.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from '../../src-main/engine/bot';
import { ConfigManager } from '../../src-main/engine/config/config-manager';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { PaperExchange } from '../../src-main/engine/adapters/paper/paper.exchange';
import { SyntheticFeed } from '../../src-main/engine/feeds/synthetic.feed';
import { EventBus } from '../../src-main/engine/events/event-bus';
import { createLogger } from '../../src-main/engine/log/logger';
import { paperMarketRules } from '../../src-main/engine/market/precision';
import { computeStats } from '../../src-main/engine/stats';
import { createOperationHandlers } from '../../src-main/operations/bot-operations';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import type { BotEvent, OperationHandlers, OperationName, Order } from '../../src-shared/contract';
import { nonFinite } from '../helpers/money';

const TF = 300_000;

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

type Step =
  | { kind: 'quote'; amount: number }
  | { kind: 'base'; share: number }
  | { kind: 'hand_trade'; share: number }
  | { kind: 'enter'; size: number }
  | { kind: 'exit' }
  | { kind: 'candles'; n: number; drift: number }
  | { kind: 'symbol'; symbol: string }
  | { kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('quote' as const),
    amount: fc.double({ min: -1, max: 1, noNaN: true }).map((x) => Math.round(x * 5000 * 1e6) / 1e6),
  }),
  fc.record({ kind: fc.constant('base' as const), share: fc.double({ min: -1, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('hand_trade' as const), share: fc.double({ min: 0.05, max: 0.5, noNaN: true }) }),
  fc.record({ kind: fc.constant('enter' as const), size: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('exit' as const) }),
  fc.record({
    kind: fc.constant('candles' as const),
    n: fc.integer({ min: 1, max: 5 }),
    drift: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('symbol' as const), symbol: fc.constantFrom('ETH/USDT', 'ETH/BTC', 'BTC/USDT') }),
  fc.record({ kind: fc.constant('restart' as const) }),
);

/** a live-mode bot whose "exchange" is a simulated account the test can move money in and out of */
async function openBot(dir: string, startQuote: number, events: BotEvent[]) {
  const store = new SqliteStore(dir);
  const config = new ConfigManager(store, 0);
  const feed = new SyntheticFeed(3, TF);
  const rules = paperMarketRules(config.current.config.symbol, feed.referencePrice);
  const exchange = new PaperExchange({ rules, startingQuote: startQuote, feePct: 0.1, slippagePct: 0.05, journal: store.paperJournal() });
  const bus = new EventBus();
  bus.subscribe((e) => events.push(e));
  const logger = createLogger({ level: 'error' });
  const bot = new Bot({ store, config, exchange, rules, feed, events: bus, logger, mode: 'live', speed: 1 });
  await bot.init();
  // the bot's own operations; the app's settings and fleet are not part of this test
  const handlers = createOperationHandlers({ bot, config, store, logger, events: bus }) as OperationHandlers;
  const call = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(handlers, name, raw, { actor: 'test' });
  return {
    bot,
    store,
    exchange,
    call,
    async close() {
      await bot.close();
      store.close();
    },
  };
}

describe('money matches the account (property)', () => {
  it('after any sequence of cash flows, fills, price moves, symbol switches and restarts, every figure is finite and equity is the account', async () => {
    let ts = Date.UTC(2024, 0, 1);
    let price = 100;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 250, 10_000), fc.array(step, { minLength: 4, maxLength: 14 }), async (startQuote, steps) => {
        const dir = mkdtempSync(join(tmpdir(), 'botdesk-money-'));
        const events: BotEvent[] = [];
        let b = await openBot(dir, startQuote, events);
        try {
          for (const s of steps) {
            const before = b.exchange.balances();
            if (s.kind === 'quote') {
              b.exchange.moveFunds({ quote: Math.max(s.amount, -before.quote) });
            } else if (s.kind === 'base') {
              b.exchange.moveFunds({ base: s.share >= 0 ? Math.round(s.share * 20 * 1e4) / 1e4 : before.base * s.share * 0.999 });
            } else if (s.kind === 'hand_trade') {
              // coins sold by hand at the market: base out, quote in
              const sold = before.base * s.share;
              b.exchange.moveFunds({ base: -sold, quote: sold * price });
            } else if (s.kind === 'enter') {
              await b.call('startBot');
              await b.call('openPosition', { body: { size_pct: s.size } }).catch((e: { status?: number; message: string }) => {
                expect(e.status, e.message).toBe(409);
                expect(nonFinite(e.message)).toEqual([]);
              });
            } else if (s.kind === 'exit') {
              await b.call('closeAll');
            } else if (s.kind === 'candles') {
              for (let i = 0; i < s.n; i++) {
                const open = price;
                price = Math.max(1, price * (1 + s.drift));
                ts += TF;
                await b.bot.serial(() =>
                  b.bot.core.processCandle(ts, open, Math.max(open, price) * 1.002, Math.min(open, price) * 0.998, price),
                );
              }
            } else if (s.kind === 'symbol') {
              const traded = b.store.lastIds().order > 0;
              const was = b.bot.status().symbol;
              const answer = await b.call('updateConfig', { body: { symbol: s.symbol } }).then(
                () => null,
                (e: { status: number; fields?: Record<string, string> }) => e,
              );
              const quoteMoves = s.symbol.split('/')[1] !== was.split('/')[1];
              if (traded && quoteMoves) {
                expect(answer).toMatchObject({ status: 409, fields: { symbol: expect.stringContaining('stake currency') } });
                expect(b.bot.status().symbol).toBe(was);
              } else if (answer) {
                expect(answer.status).toBe(409); // open positions: the symbol stays
              }
            } else if (s.kind === 'restart') {
              const kept = await b.call('getStats');
              await b.close();
              b = await openBot(dir, startQuote, events);
              const again = await b.call('getStats');
              for (const k of ['start_equity', 'realized_pnl', 'net_cash_flow', 'trades_count'] as const)
                expect(near(again[k], kept[k]), k).toBe(true);
            }
            await b.bot.refreshAccount();
            await check(b, s);
          }
          expect(nonFinite(events.map((e) => e.data))).toEqual([]);
        } finally {
          await b.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('an empty account', () => {
  it('is a state with a sentence, never a loss: the kill switch does not trip on a zero baseline, nothing reads NaN', async () => {
    const events: BotEvent[] = [];
    const b = await openBot(mkdtempSync(join(tmpdir(), 'botdesk-empty-')), 0, events);
    try {
      await b.call('updateConfig', { body: { max_daily_loss_pct: 5 } });
      await b.call('startBot');
      let ts = Date.UTC(2024, 0, 1);
      for (const close of [100, 90, 70, 50, 20]) await b.bot.serial(() => b.bot.core.processCandle((ts += TF), close, close, close, close));
      const status = await b.call('getStatus');
      expect(status).toMatchObject({ state: 'running', paused_reason: null, equity: 0 });
      expect(status.attention).toContain('the account holds 0 USDT: deposit USDT or pick a market whose quote you hold');
      expect(b.bot.core.haltReason).toBeNull();
      expect(nonFinite({ status, stats: await b.call('getStats'), events: events.map((e) => e.data) })).toEqual([]);
      // a deposit mends it: the next entry is sized on the new equity
      b.exchange.moveFunds({ quote: 500 });
      await b.bot.refreshAccount();
      expect((await b.call('getStatus')).attention).toEqual([]);
      const { position } = await b.call('openPosition', { body: { size_pct: 10 } });
      expect(position.amount * position.entry_price).toBeCloseTo(50, 0);
    } finally {
      await b.close();
    }
  });
});

describe('dust', () => {
  it('is shown apart, not counted as open, never sent to the exchange, and written off without moving equity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-dust-'));
    // what an exit that filled in part leaves: 0.005 coins at 100, worth less than the market's minimum order
    const seed = new SqliteStore(dir);
    seed.setMeta('start_equity', '1000');
    const entry: Order = {
      id: 1,
      client_order_id: 'bd-1',
      exchange_order_id: 'x-1',
      symbol: 'XRP/USDT',
      side: 'buy',
      type: 'market',
      purpose: 'entry',
      amount: 0.005,
      price: null,
      trigger_price: null,
      status: 'filled',
      filled: 0.005,
      average_price: 100,
      fee: 0.01,
      position_id: 1,
      exit_reason: null,
      created_at: 1,
      updated_at: 1,
      config_version: 1,
    };
    seed.openPosition(
      {
        id: 1,
        symbol: 'XRP/USDT',
        amount: 0.005,
        entry_price: 100,
        entry_fee: 0.01,
        stop_loss_price: 90,
        take_profit_price: 110,
        opened_at: 1,
        config_version: 1,
        entry_client_order_id: 'bd-1',
        status: 'open',
        closed_at: null,
        stop_trailed: 0,
      },
      entry,
    );
    seed.close();
    const events: BotEvent[] = [];
    const b = await openBot(dir, 1000 - 0.5 - 0.01, events);
    try {
      b.exchange.moveFunds({ base: 0.005 });
      await b.bot.serial(() => b.bot.core.processCandle(TF, 100, 100, 100, 100)); // a price to value coins at
      await b.bot.refreshAccount();
      const [position] = await b.call('getPositions');
      expect(position).toMatchObject({ id: 1, dust: true });
      expect((await b.call('getStatus')).open_positions).toBe(0);
      expect((await b.call('getCashflows')).cashflows).toEqual([]);
      await expect(b.call('closePosition', { params: { id: '1' } })).rejects.toMatchObject({
        status: 409,
        message: expect.stringMatching(/under the market minimum.*write it off/),
      });
      await b.call('startBot');
      expect((await b.call('closeAll')).closed).toEqual([]);
      expect(b.store.listOrders('all', 10)).toHaveLength(1); // no sell the exchange would refuse was sent
      const before = await b.call('getStats');
      // sold by hand on the exchange, then written off
      b.exchange.moveFunds({ base: -0.005, quote: 0.5 });
      await b.bot.refreshAccount();
      await expect(b.call('writeOffPosition', { params: { id: '2' } })).rejects.toMatchObject({ status: 404 });
      expect(await b.call('writeOffPosition', { params: { id: '1' } })).toEqual({ success: true, position_id: 1 });
      expect(await b.call('getPositions')).toEqual([]);
      const after = await b.call('getStats');
      expect(near(after.equity, b.exchange.balances().quote)).toBe(true);
      expect(near(after.equity, after.start_equity + after.realized_pnl + after.unrealized_pnl + after.net_cash_flow)).toBe(true);
      expect(after.trades_count).toBe(before.trades_count); // no trade: no order of the bot sold it
      expect(b.store.listAudit(5).map((r) => r.action)).toContain('write_off_position');
      await b.close();
      // written off for good: a restart does not bring it back
      const again = await openBot(dir, 0, events);
      expect(await again.call('getPositions')).toEqual([]);
      await again.close();
    } finally {
      await b.close().catch(() => undefined);
    }
  });
});

async function check(b: Awaited<ReturnType<typeof openBot>>, s: Step): Promise<void> {
  const [status, stats, positions, cash] = await Promise.all([
    b.call('getStatus'),
    b.call('getStats'),
    b.call('getPositions'),
    b.call('getCashflows'),
  ]);
  expect(nonFinite({ status, stats, positions, cash }), JSON.stringify(s)).toEqual([]);
  const account = b.exchange.balances();
  // coins are valued at the bot's last price; before any (a fresh synthetic feed) only cash can be
  const value = status.last_price === null ? account.quote : account.quote + account.base * status.last_price;
  if (status.last_price !== null || account.base === 0) {
    expect(near(stats.equity, value), `equity ${stats.equity} vs the account ${value} after ${JSON.stringify(s)}`).toBe(true);
  }
  expect(near(status.equity, stats.equity), 'status and stats agree').toBe(true);
  expect(near(stats.equity, stats.start_equity + stats.realized_pnl + stats.unrealized_pnl + stats.net_cash_flow), 'the identity').toBe(
    true,
  );
  expect(
    near(
      stats.net_cash_flow,
      cash.cashflows.reduce((sum, f) => sum + f.value, 0),
    ),
    'net cash flow = Σ cash flows',
  ).toBe(true);
  const oracle = computeStats({
    trades: b.store.allTrades(),
    startEquity: 0,
    openPositions: [],
    maxDrawdownPct: 0,
    todayStart: 0,
    nowTs: 0,
    stakeCurrency: '',
  });
  expect(near(stats.realized_pnl, oracle.realized_pnl), 'realised = Σ trade pnl').toBe(true);
  const q = status.stake_currency;
  if (status.equity <= 0)
    expect(status.attention).toContain(`the account holds 0 ${q}: deposit ${q} or pick a market whose quote you hold`);
  expect(status.paused_reason ?? '').not.toMatch(/NaN|Infinity/);
}
