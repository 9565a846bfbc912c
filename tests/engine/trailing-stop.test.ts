// The trailing stop (config trailing_stop_pct, trailing_activation_pct) on hand-made candles, worked out by hand: the
// rule alone, then the engine (core, executor, paper exchange) as backtest and paper run it.
import { describe, expect, it } from 'vitest';
import { ConfigPatchSchema, BotConfigSchema, DEFAULT_CONFIG, type BotConfig } from '../../src-shared/contract';
import { PaperExchange } from '../../src-main/engine/adapters/paper/paper.exchange';
import { Executor } from '../../src-main/engine/execution/executor';
import { MemoryJournal } from '../../src-main/engine/ports/journal.port';
import { paperMarketRules } from '../../src-main/engine/market/precision';
import { TradingCore } from '../../src-main/engine/trading-core';
import { trailedStop } from '../../src-main/engine/risk/trailing-stop';
import { isPromise } from '../../src-main/engine/ports/exchange.port';

describe('the trailing rule', () => {
  const base = { entryPrice: 100, stop: 90, trailingPct: 5, activationPct: 0, priceStep: 0.01 };

  it('raises the stop to trailing_stop_pct below the high, rounded down to the tick, and never lowers it', () => {
    expect(trailedStop({ ...base, high: 110 })).toBe(104.5);
    expect(trailedStop({ ...base, high: 112 })).toBe(106.4); // 106.39999… in binary, snapped to the tick
    expect(trailedStop({ ...base, high: 100.03, priceStep: 0.1 })).toBe(95);
    expect(trailedStop({ ...base, stop: 106.4, high: 111 })).toBe(106.4); // 105.45 would be lower
    expect(trailedStop({ ...base, high: 94 })).toBe(90); // 89.3 is under the stop already there
  });

  it('is off at 0, and waits for the high to reach the activation profit', () => {
    expect(trailedStop({ ...base, high: 150, trailingPct: 0 })).toBe(90);
    expect(trailedStop({ ...base, high: 109.99, activationPct: 10 })).toBe(90);
    expect(trailedStop({ ...base, high: 110, activationPct: 10 })).toBe(104.5); // exactly +10 % activates
  });
});

describe('config', () => {
  it('defaults off; 0 or 0.1–50; an activation needs a trailing stop; every bad field named', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ trailing_stop_pct: 0, trailing_activation_pct: 0 });
    const check = (patch: Partial<BotConfig>) => BotConfigSchema.safeParse({ ...DEFAULT_CONFIG, ...patch });
    const badFields = (patch: Record<string, unknown>) => {
      const r = BotConfigSchema.safeParse({ ...DEFAULT_CONFIG, ...patch });
      return r.success ? [] : [...new Set(r.error.issues.map((i) => String(i.path[0])))].sort();
    };
    expect(check({ trailing_stop_pct: 2, trailing_activation_pct: 1.5 }).success).toBe(true);
    expect(check({ trailing_stop_pct: 0.1 }).success).toBe(true);
    expect(badFields({ trailing_stop_pct: 0.05 })).toEqual(['trailing_stop_pct']);
    expect(badFields({ trailing_stop_pct: 51 })).toEqual(['trailing_stop_pct']);
    expect(badFields({ trailing_stop_pct: -1 })).toEqual(['trailing_stop_pct']);
    expect(badFields({ trailing_activation_pct: -0.5, trailing_stop_pct: 2 })).toEqual(['trailing_activation_pct']);
    expect(badFields({ trailing_activation_pct: 3 })).toEqual(['trailing_activation_pct', 'trailing_stop_pct']);
    expect(ConfigPatchSchema.safeParse({ trailing_stop_pct: '2' }).success).toBe(false);
  });
});

/** a paper engine on XRP/USDT at 100 (tick 0.01), no costs, entries by hand only, stop 10 %, target 50 % */
function rig(patch: Partial<BotConfig> = {}) {
  const config: BotConfig = {
    ...DEFAULT_CONFIG,
    fee_pct: 0,
    slippage_pct: 0,
    stop_loss_pct: 10,
    take_profit_pct: 50,
    position_size_pct: 20,
    max_daily_loss_pct: 0,
    enabled: false,
    trailing_stop_pct: 5,
    // a slow EMA of 500 gives no signal (entry or exit) within these few candles
    strategy: { name: 'ema_cross', params: { fast: 2, slow: 500, rsi_period: 14, rsi_max: 0 } },
    ...patch,
  };
  const rules = paperMarketRules('XRP/USDT', 100);
  const exchange = new PaperExchange({ rules, startingQuote: 10_000, feePct: 0, slippagePct: 0 });
  const journal = new MemoryJournal();
  const executor = new Executor(exchange, journal, rules);
  const source = { current: { config, version: 1 } };
  const core = new TradingCore({ exchange, executor, rules, startEquity: 10_000, config: source });
  let ts = 1_700_000_100_000 - (1_700_000_100_000 % 300_000);
  const sync = <T>(v: T | Promise<T>): T => {
    if (isPromise(v)) throw new Error('the paper exchange answered asynchronously');
    return v;
  };
  const rig = {
    core,
    executor,
    exchange,
    journal,
    candle(o: number, h: number, l: number, c: number) {
      sync(core.processCandle(ts, o, h, l, c));
      ts += 300_000;
    },
    /** a position bought at the last close (20 % of equity) */
    enter() {
      const r = sync(core.manualEntry());
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.position;
    },
    /** a new config version, taken at the next candle (hot reload) */
    update(change: Partial<BotConfig>) {
      source.current = { config: { ...source.current.config, ...change }, version: source.current.version + 1 };
    },
    /** the stop resting on the paper exchange for the open position(s) */
    restingStops: () => executor.activeOrders().filter((o) => o.purpose === 'stop_loss'),
  };
  rig.candle(100, 100, 100, 100);
  return rig;
}

describe('backtest and paper: the stop follows the high', () => {
  it('moves the resting stop after each candle and sells there as trailing_stop', () => {
    const r = rig();
    const p = r.enter();
    expect([p.entry_price, p.stop_loss_price, p.amount]).toEqual([100, 90, 20]);
    r.candle(100, 110, 99, 108); // 110 × 0.95
    expect(r.executor.getPosition(p.id)).toMatchObject({ stop_loss_price: 104.5, stop_trailed: 1 });
    expect(r.restingStops().map((o) => o.trigger_price)).toEqual([104.5]);
    expect(
      r.executor
        .activeOrders()
        .map((o) => o.purpose)
        .sort(),
    ).toEqual(['stop_loss', 'take_profit']);
    r.candle(108, 120, 105, 119); // 120 × 0.95; the low 105 stays above the 104.5 resting at this candle's open
    expect(r.restingStops().map((o) => o.trigger_price)).toEqual([114]);
    r.candle(119, 119.5, 113, 115); // through 114: sold at the stop
    expect(r.executor.openPositionCount).toBe(0);
    expect(r.journal.trades).toEqual([
      expect.objectContaining({ exit_reason: 'trailing_stop', entry_price: 100, exit_price: 114, amount: 20, pnl: 280, fee: 0 }),
    ]);
    expect(r.executor.activeOrders()).toEqual([]);
    expect(r.exchange.openOrderCount).toBe(0);
    expect(r.exchange.balances()).toEqual({ base: 0, quote: 10_280 });
  });

  it('a candle can hit only the stop resting at its open: its own high raises the stop for the next candle', () => {
    const r = rig();
    const p = r.enter();
    // high 110 then (or before) low 95: the stop was 90 at the open, so nothing sells in this candle
    r.candle(100, 110, 95, 106);
    expect(r.executor.getPosition(p.id)?.stop_loss_price).toBe(104.5);
    // the next candle opens below the raised stop: it sells at the open, as any gap through a stop does
    r.candle(100, 101, 99, 100);
    expect(r.journal.trades).toEqual([expect.objectContaining({ exit_reason: 'trailing_stop', exit_price: 100 })]);
  });

  it('a close already under the raised stop sells at market at that close (an exchange refuses a stop above the price)', () => {
    const r = rig();
    r.enter();
    r.candle(100, 110, 103, 103); // the stop would be 104.5, above the close 103
    expect(r.journal.trades).toEqual([expect.objectContaining({ exit_reason: 'trailing_stop', exit_price: 103, pnl: 60 })]);
    expect(r.exchange.openOrderCount).toBe(0);
  });

  it('trails only once the high reached the activation profit; a stop that never moved sells as stop_loss', () => {
    const r = rig({ trailing_activation_pct: 10 });
    const p = r.enter();
    r.candle(100, 109, 100, 108); // +9 %: not yet
    expect(r.executor.getPosition(p.id)).toMatchObject({ stop_loss_price: 90, stop_trailed: 0 });
    r.candle(108, 112, 107, 111); // +12 %: 112 × 0.95
    expect(r.executor.getPosition(p.id)?.stop_loss_price).toBe(106.4);
    r.candle(111, 111, 108, 109); // 105.45 would be lower: the stop stays
    expect(r.restingStops().map((o) => o.trigger_price)).toEqual([106.4]);

    const s = rig({ trailing_activation_pct: 10 });
    s.enter();
    s.candle(100, 105, 100, 101);
    s.candle(101, 101, 88, 89); // never activated: the first stop sells
    expect(s.journal.trades).toEqual([expect.objectContaining({ exit_reason: 'stop_loss', exit_price: 90 })]);
  });

  it('a position filled during a candle trails from the close of that candle (its high may have come before the fill)', () => {
    const r = rig();
    r.candle(100, 100, 100, 102);
    r.executor.enterLimit({ amount: 20, price: 100, stopLossPct: 10, takeProfitPct: 50 });
    r.candle(102, 115, 100, 104); // the limit buy fills at 100 in this candle: 104 × 0.95, not 115 × 0.95
    const [p] = r.executor.openPositions();
    expect(p).toMatchObject({ entry_price: 100, stop_loss_price: 98.8, stop_trailed: 1 });
    r.candle(104, 106, 103, 105); // 106 × 0.95
    expect(r.executor.getPosition(p.id)?.stop_loss_price).toBe(100.7);
  });

  it('trailing off: stops stay where the entry put them (and a hot reload turns it on from the next candle)', () => {
    const r = rig({ trailing_stop_pct: 0 });
    const p = r.enter();
    r.candle(100, 130, 100, 129);
    expect(r.executor.getPosition(p.id)?.stop_loss_price).toBe(90);
    const ordersBefore = r.executor.activeOrders().map((o) => o.client_order_id);
    r.candle(129, 129, 128, 128);
    expect(r.executor.activeOrders().map((o) => o.client_order_id)).toEqual(ordersBefore);
    r.update({ trailing_stop_pct: 2 });
    r.candle(128, 130, 127, 129); // 130 × 0.98, under the new version
    expect(r.restingStops().map((o) => [o.trigger_price, o.config_version])).toEqual([[127.4, 2]]);
  });
});

describe('a restart in the middle of a move (the journal holds the new stop; reconcile finishes the move)', () => {
  /** the position's stop raised in the journal only, as moveStop writes it before touching the exchange */
  function crashAfterIntent() {
    const r = rig();
    const p = r.enter();
    const raised = { ...r.executor.getPosition(p.id)!, stop_loss_price: 104.5, stop_trailed: 1 as const };
    r.journal.saveStop(raised);
    return { r, p };
  }

  it('before the old pair was cancelled: the old pair is replaced at the new stop, once', () => {
    const { r, p } = crashAfterIntent();
    const restarted = new Executor(r.exchange, r.journal, paperMarketRules('XRP/USDT', 100));
    restarted.reconcile(106);
    expect(restarted.getPosition(p.id)).toMatchObject({ stop_loss_price: 104.5, stop_trailed: 1 });
    expect(
      restarted
        .activeOrders()
        .map((o) => [o.purpose, o.trigger_price ?? o.price, o.exit_reason])
        .sort(),
    ).toEqual([
      ['stop_loss', 104.5, 'trailing_stop'],
      ['take_profit', 150, 'take_profit'],
    ]);
    expect(r.exchange.openOrderCount).toBe(2);
  });

  it('after the old pair was cancelled, before the new one was sent: the pair rests at the new stop, once', () => {
    const { r, p } = crashAfterIntent();
    for (const o of r.executor.activeOrders()) r.exchange.cancelOrder(o.client_order_id);
    expect(r.exchange.openOrderCount).toBe(0);
    const restarted = new Executor(r.exchange, r.journal, paperMarketRules('XRP/USDT', 100));
    restarted.reconcile(106);
    expect(restarted.getPosition(p.id)?.stop_loss_price).toBe(104.5);
    expect(
      restarted
        .activeOrders()
        .map((o) => [o.purpose, o.trigger_price ?? o.price])
        .sort(),
    ).toEqual([
      ['stop_loss', 104.5],
      ['take_profit', 150],
    ]);
    expect(r.exchange.openOrderCount).toBe(2);
  });

  it('a stop resting without its take-profit (a crash between the legs, or the leg lost): the pair rests whole again, once', () => {
    const r = rig();
    const p = r.enter();
    const target = r.executor.activeOrders().find((o) => o.purpose === 'take_profit')!;
    r.exchange.cancelOrder(target.client_order_id);
    expect(r.exchange.openOrderCount).toBe(1);
    const restarted = new Executor(r.exchange, r.journal, paperMarketRules('XRP/USDT', 100));
    expect(restarted.reconcile(106)).toMatchObject({ protectedAgain: 1 });
    expect(
      restarted
        .activeOrders()
        .filter((o) => o.position_id === p.id)
        .map((o) => [o.purpose, o.trigger_price ?? o.price])
        .sort(),
    ).toEqual([
      ['stop_loss', 90],
      ['take_profit', 150],
    ]);
    expect(r.exchange.openOrderCount).toBe(2);
  });

  it('a stop resting alone while the market is past the take-profit: sold as take_profit', () => {
    const r = rig();
    const p = r.enter();
    r.exchange.cancelOrder(r.executor.activeOrders().find((o) => o.purpose === 'take_profit')!.client_order_id);
    const restarted = new Executor(r.exchange, r.journal, paperMarketRules('XRP/USDT', 100));
    restarted.reconcile(151);
    expect(restarted.getPosition(p.id)).toBeUndefined();
    expect(r.journal.trades.at(-1)?.exit_reason).toBe('take_profit');
  });

  it('the market already under the new stop when it restarts: sold at once as trailing_stop', () => {
    const { r, p } = crashAfterIntent();
    for (const o of r.executor.activeOrders()) r.exchange.cancelOrder(o.client_order_id);
    const journal = r.journal;
    const restarted = new Executor(r.exchange, journal, paperMarketRules('XRP/USDT', 100));
    r.exchange.observePrice(103);
    restarted.reconcile(103);
    expect(restarted.getPosition(p.id)).toBeUndefined();
    expect(journal.trades).toEqual([expect.objectContaining({ exit_reason: 'trailing_stop', exit_price: 103 })]);
    expect(r.exchange.openOrderCount).toBe(0);
  });
});
