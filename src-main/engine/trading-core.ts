import type { BotConfig, Signal } from '../../src-shared/contract';
import { TIMEFRAME_MS, quoteOf } from '../../src-shared/contract';
import { isPromise, type ExchangePort, type MarketRules, type MaybePromise } from './ports/exchange.port';
import type { Executor } from './execution/executor';
import type { PositionRecord } from './ports/journal.port';
import { andThen } from './execution/maybe';
import { trailStops } from './execution/trailing-stops';
import { entryAmount, entryBlocker, manualEntrySize, unsizedEntry, type EntryGate, type EntrySizing } from './risk/risk';
import { SIGNAL, type SignalValue, type Strategy } from './strategy/strategy';
import { createStrategy } from './strategy/create-strategy';
import { CANDLE_STRIDE, writeCandle } from './feeds/candle-file';
import type { EquityMarks } from './kept-stats';
import { AccountMarks } from './account-marks';

export interface ConfigSnapshotSource {
  /** the config a cycle runs under; read once at the start of each cycle */
  readonly current: { config: BotConfig; version: number };
}

export interface CoreHooks {
  signal?(signal: Signal): void;
  /** the kill switch fired; the core has already stopped entries for the rest of the day */
  dailyLossLimit?(reason: string): void;
}

/** A simulated exchange fills its resting orders from each candle (`c[at]` ts, then open, high, low, close). */
export interface CandleListener {
  /** false: it has no order update waiting (takeUpdates would answer none), so the cycle does not ask for them */
  onCandleAt?(c: Float64Array, at: number): boolean | void;
  /** the market's price before any candle is traded (warm-up, a switched market): a reference, nothing fills on it */
  observePrice?(price: number): void;
}

export interface TradingCoreOptions {
  /** live: protection rests on the exchange and is watched here; paper and backtest fill stops in the paper exchange */
  mode?: 'backtest' | 'paper' | 'live';
  exchange: ExchangePort & CandleListener;
  executor: Executor;
  rules: MarketRules;
  startEquity: number;
  config: ConfigSnapshotSource;
  hooks?: CoreHooks;
  /** candles kept to re-warm a strategy whose parameters changed (0 in a backtest) */
  historySize?: number;
  /** live limits: why an entry of `amount` at `price` may not be sent (the max order), or null; nothing is sent then */
  entryLimit?: (amount: number, price: number) => string | null;
}

/**
 * One cycle per closed candle, the same for backtest, paper and live:
 * config snapshot → resting orders' fills → indicators → signal → risk → executor.
 * Synchronous unless the exchange answers with a promise, so the backtest never awaits.
 */
/** a person's entry: the position it opened, a conflict with the bot's state (409), or the exchange's refusal (502) */
export type ManualEntryResult = { ok: true; position: PositionRecord } | { ok: false; conflict: string } | { ok: false; refused: string };

export class TradingCore {
  /** set by the bot: running and not paused */
  entriesAllowed = true;
  /** equity, peak, drawdown, the day and the kill switch, marked on every candle (account-marks.ts) */
  private readonly account: AccountMarks;
  get equity(): number {
    return this.account.equity;
  }
  get peakEquity(): number {
    return this.account.peakEquity;
  }
  get maxDrawdownPct(): number {
    return this.account.maxDrawdownPct;
  }
  get lastPrice(): number {
    return this.account.lastPrice;
  }
  get lastTs(): number {
    return this.account.lastTs;
  }
  get dayStart(): number {
    return this.account.dayStart;
  }
  /** kill switch: no entries until the next UTC day */
  get haltReason(): string | null {
    return this.account.haltReason;
  }
  appliedVersion: number | null = null;
  private strategy: Strategy;
  private strategyKey: string;
  private readonly history: Float64Array;
  /** one candle in the series layout, for callers that hand over numbers (the live loop, warm-up) */
  private readonly scratch = new Float64Array(CANDLE_STRIDE);
  private historyCount = 0;
  private historyNext = 0;

  constructor(private readonly opts: TradingCoreOptions) {
    const { config } = opts.config.current;
    this.strategy = createStrategy(config.strategy);
    this.strategyKey = JSON.stringify(config.strategy);
    this.account = new AccountMarks(opts.executor.books, opts.startEquity, (reason) => opts.hooks?.dailyLossLimit?.(reason));
    this.history = new Float64Array((opts.historySize ?? 0) * 4);
    this.entrySizing = unsizedEntry(opts.rules);
  }

  get strategyName(): string {
    return this.strategy.name;
  }

  /** Peak, max drawdown and the day's start as of the last candle: persisted with the equity curve. */
  get marks(): EquityMarks {
    return this.account.marks;
  }

  /** Go on from marks an earlier run persisted, so max drawdown and today's P&L survive a restart. */
  restoreMarks(m: EquityMarks): void {
    this.account.restoreMarks(m);
  }

  /** The account's figures outside the trades (AccountLedger): its cash base and the coins held outside positions. */
  setAccount(cashBase: number, holdingsBase: number): void {
    this.account.setAccount(cashBase, holdingsBase);
  }

  /** Money moved in or out without the bot (worth `value`): see AccountMarks.moveMoney. */
  moveMoney(cashBase: number, holdingsBase: number, value: number): void {
    this.account.moveMoney(cashBase, holdingsBase, value);
  }

  /** A new start (nothing traded yet): equity, peak and the day's start begin again at the account's value. */
  rebase(cashBase: number, holdingsBase: number): void {
    this.account.rebase(cashBase, holdingsBase);
  }

  /** quote not tied up in open positions (the account's free cash as the bot's own orders leave it) */
  get freeCash(): number {
    return this.account.cashBase + this.opts.executor.realizedPnl - this.opts.executor.openCostBasis;
  }

  /** Why nothing can be bought: an account that holds nothing (a state with a sentence, never a loss). */
  get emptyAccount(): string | null {
    if (this.account.equity > 0) return null;
    const quote = quoteOf(this.opts.config.current.config.symbol);
    return `the account holds 0 ${quote}: deposit ${quote} or pick a market whose quote you hold`;
  }

  /** Equity at the last price again, after a fill or the account's figures changed between candles (no kill-switch check). */
  remark(): void {
    this.account.remark();
  }

  /** A person resumed after the kill switch: entries may go on; the switch re-arms on the next UTC day. */
  acknowledgeHalt(): void {
    this.account.haltReason = null;
  }

  /** Another market: the strategy and its history start over on that market's candles (oldest first). */
  rewarm(candles: readonly { open: number; high: number; low: number; close: number }[]): void {
    const { strategy } = this.opts.config.current.config;
    this.strategy = createStrategy(strategy);
    this.strategyKey = JSON.stringify(strategy);
    this.historyCount = 0;
    this.historyNext = 0;
    for (const c of candles) this.warm(c.open, c.high, c.low, c.close);
  }

  /** Feed candles without trading (warm-up before the first live cycle). */
  warm(o: number, h: number, l: number, c: number): void {
    const d = writeCandle(this.scratch, 0, o, h, l, c);
    this.strategy.update(d, 1);
    this.remember(d, 1);
    this.account.priceIs(c);
  }

  /** One cycle from numbers (the live loop): see processCandleAt. */
  processCandle(ts: number, o: number, h: number, l: number, c: number): MaybePromise<void> {
    return this.processCandleAt(writeCandle(this.scratch, ts, o, h, l, c), 0);
  }

  /**
   * One cycle on the candle at `d[at]` (series layout: ts, open, high, low, close, volume): processCandlesAt with one
   * candle, so a single candle (paper, live) and a backtest's series go through the same code.
   */
  processCandleAt(d: Float64Array, at: number): MaybePromise<void> {
    return this.processCandlesAt(d, at, 1);
  }

  /** how many candles the last processCandlesAt took through a cycle */
  cycled = 0;

  /**
   * One cycle per candle on `count` candles from `d[at]` on, one after another. The backtest hands its series over
   * this way, so no price is boxed on the way in, and the loop and the cycle are one piece for the compiler: the
   * strategy's indicator steps and the equity mark inline into it, and what it reads of the core is read once per run
   * rather than per candle (docs/benchmarks.md, engine). Stops after a cycle that answers with a promise (an exchange
   * that answers later) and returns it; `cycled` says how many candles were taken.
   *
   * The common case (no order update, no trailing stop, not live) runs straight into `decide`; everything rarer
   * lives in `beforeDecide`, which keeps this path small enough for that.
   */
  processCandlesAt(d: Float64Array, at: number, count: number): MaybePromise<void> {
    const exchange = this.opts.exchange;
    for (let k = 0; k < count; k++) {
      const i = at + k * CANDLE_STRIDE;
      const snapshot = this.opts.config.current;
      const config = snapshot.config;
      if (snapshot.version !== this.appliedVersion) this.applyConfig(snapshot.version, config);
      this.account.candleAt(d, i);
      // an exchange that knows it has no order update for takeUpdates says so (the paper exchange: fills happen here)
      const quiet = exchange.onCandleAt !== undefined && exchange.onCandleAt(d, i) === false;
      const cycle = !quiet || this.attentive ? this.beforeDecide(d, i, config) : this.decide(d, i, config);
      if (cycle !== undefined && isPromise(cycle)) {
        this.cycled = k + 1;
        return cycle;
      }
    }
    this.cycled = count;
    return undefined;
  }

  /**
   * Live mode or trailing stops configured (set with the config): every cycle goes through `beforeDecide`. A flag
   * rather than the two checks, to keep the per-candle path small.
   */
  private attentive = false;

  /**
   * What may come between the exchange's fills and the strategy: a live entry that filled while resting gets its
   * protection first; live (protection rests on the exchange), a position whose protection went missing gets it
   * again, or is sold when the close is through its stop or past a take-profit the exchange would not rest (paper
   * and backtest fill their stops in the paper exchange); trailing stops follow the candle's high.
   */
  private beforeDecide(d: Float64Array, at: number, config: BotConfig): MaybePromise<void> {
    const updates = this.opts.exchange.takeUpdates();
    if (updates.length !== 0) {
      const applied = this.opts.executor.applyUpdates(updates);
      if (applied) return applied.then(() => this.guardThenDecide(d, at, config));
    }
    return this.guardThenDecide(d, at, config);
  }

  private guardThenDecide(d: Float64Array, at: number, config: BotConfig): MaybePromise<void> {
    if (this.opts.mode !== 'live') return this.trailThenDecide(d, at, config);
    return andThen(this.opts.executor.protectBare(d[at + 4]), () => this.trailThenDecide(d, at, config));
  }

  /** Trailing stops follow the candle's high before the strategy sees it (execution/trailing-stops.ts). */
  private trailThenDecide(d: Float64Array, at: number, config: BotConfig): MaybePromise<void> {
    if (config.trailing_stop_pct > 0 && this.opts.executor.openPositionCount > 0) {
      const trailed = trailStops(this.opts.executor, {
        ts: d[at],
        high: d[at + 2],
        close: d[at + 4],
        trailingPct: config.trailing_stop_pct,
        activationPct: config.trailing_activation_pct,
        priceStep: this.opts.rules.priceStep,
      });
      if (trailed !== undefined) return andThen(trailed, () => this.decide(d, at, config));
    }
    return this.decide(d, at, config);
  }

  /** the candle through the strategy, then equity and a signal's action */
  private decide(d: Float64Array, at: number, config: BotConfig): MaybePromise<void> {
    const signal = this.strategy.update(d, at + 1);
    if (this.history.length !== 0) this.remember(d, at + 1);
    this.account.markToMarket();
    return signal === SIGNAL.none ? undefined : this.act(signal, config);
  }

  /**
   * entryAmount's arguments, one object for the core's life filled per entry signal: a backtest pass has ~24k, most
   * refused as too small, and an object built per signal was a tenth of its garbage (the call is not inlined).
   */
  private readonly entrySizing: EntrySizing;
  /** entryBlocker's arguments, filled per entry signal for the same reason */
  private readonly entryGate: EntryGate = { entriesAllowed: true, enabled: true, haltReason: null, openPositions: 0, maxPositions: 0 };

  /** A signal fired (a minority of candles): exit, or size and check an entry. Kept out of processCandleAt so the
   * per-candle path stays small enough for the compiler to inline what it calls. */
  private act(signal: SignalValue, config: BotConfig): MaybePromise<void> {
    const executor = this.opts.executor;
    const c = this.lastPrice;
    if (signal === SIGNAL.exit) {
      if (executor.openPositionCount === 0) return undefined;
      this.emitSignal('exit', c, null);
      return executor.exitEvery('signal');
    }
    const gate = this.entryGate;
    gate.entriesAllowed = this.entriesAllowed;
    gate.enabled = config.enabled;
    gate.haltReason = this.haltReason;
    gate.openPositions = executor.tradablePositionCount;
    gate.maxPositions = config.max_positions;
    const blocker = entryBlocker(gate) ?? this.emptyAccount;
    let amount = 0;
    if (!blocker) {
      const sizing = this.entrySizing;
      sizing.equity = this.equity;
      sizing.freeCash = this.freeCash;
      sizing.price = c;
      sizing.positionSizePct = config.position_size_pct;
      sizing.feePct = config.fee_pct;
      sizing.slippagePct = config.slippage_pct;
      sizing.stopLossPct = config.stop_loss_pct;
      amount = entryAmount(sizing);
    }
    const rejected =
      blocker ??
      (amount > 0
        ? (this.opts.entryLimit?.(amount, c) ?? null)
        : 'too small: the entry or its stop-loss order would be under the market minimum');
    this.emitSignal('enter', c, rejected);
    if (rejected) return undefined;
    const entered = executor.enter({
      amount,
      stopLossPct: config.stop_loss_pct,
      takeProfitPct: config.take_profit_pct,
      maxSlippagePct: config.max_slippage_pct,
    });
    // the paper exchange fills at once: equity is marked again without a closure per entry
    if (isPromise(entered)) return entered.then(() => this.account.markToMarket());
    this.account.markToMarket();
    return undefined;
  }

  /** A person's entry (POST /bot/positions): now, at market, sized and refused as manualEntrySize says. */
  manualEntry(sizePct?: number): MaybePromise<ManualEntryResult> {
    const config = this.opts.config.current.config;
    const executor = this.opts.executor;
    const price = this.lastPrice;
    const sized = manualEntrySize({
      haltReason: this.haltReason,
      emptyAccount: this.emptyAccount,
      openPositions: executor.tradablePositionCount,
      config,
      sizePct,
      equity: this.equity,
      freeCash: this.freeCash,
      price,
      rules: this.opts.rules,
    });
    if ('conflict' in sized) return { ok: false, conflict: sized.conflict };
    const { amount } = sized;
    const limited = this.opts.entryLimit?.(amount, price);
    if (limited) return { ok: false, conflict: `No position opened: ${limited}.` };
    return andThen(
      executor.enter({
        amount,
        stopLossPct: config.stop_loss_pct,
        takeProfitPct: config.take_profit_pct,
        maxSlippagePct: config.max_slippage_pct,
      }),
      (order) => {
        this.account.markToMarket();
        const position = order.position_id === null ? undefined : executor.getPosition(order.position_id);
        if (position) return { ok: true as const, position };
        const rejection =
          executor.lastRejection?.clientOrderId === order.client_order_id
            ? executor.lastRejection.reason
            : `the entry order is ${order.status}`;
        return { ok: false as const, refused: `The exchange did not fill the entry: ${rejection}.` };
      },
    );
  }

  /** A new config version: costs follow at once; a changed strategy is rebuilt and re-warmed from history. */
  private applyConfig(version: number, config: BotConfig): void {
    this.appliedVersion = version;
    const books = this.opts.executor.books;
    books.configVersion = version;
    books.fallbackRisk = { sl: config.stop_loss_pct, tp: config.take_profit_pct };
    this.account.configure(TIMEFRAME_MS[config.timeframe], config.max_daily_loss_pct);
    this.attentive = this.opts.mode === 'live' || config.trailing_stop_pct > 0;
    const exchange = this.opts.exchange as { setCosts?(fee: number, slip: number): void };
    exchange.setCosts?.(config.fee_pct, config.slippage_pct);
    const key = JSON.stringify(config.strategy);
    if (key === this.strategyKey) return;
    this.strategyKey = key;
    this.strategy = createStrategy(config.strategy);
    const cap = this.history.length / 4;
    for (let i = 0; i < this.historyCount; i++) {
      const at = ((this.historyNext - this.historyCount + i + cap) % cap) * 4;
      this.strategy.update(this.history, at);
    }
  }

  /** keep open, high, low, close from `d[from]` on */
  private remember(d: Float64Array, from: number): void {
    const cap = this.history.length / 4;
    if (cap === 0) return;
    const at = this.historyNext * 4;
    this.history[at] = d[from];
    this.history[at + 1] = d[from + 1];
    this.history[at + 2] = d[from + 2];
    this.history[at + 3] = d[from + 3];
    this.historyNext = (this.historyNext + 1) % cap;
    if (this.historyCount < cap) this.historyCount++;
  }

  private emitSignal(action: 'enter' | 'exit', price: number, rejectedBecause: string | null): void {
    const hook = this.opts.hooks?.signal;
    if (!hook) return;
    hook({
      ts: this.lastTs,
      action,
      price,
      reason: this.strategy.reason(),
      accepted: rejectedBecause === null,
      rejected_because: rejectedBecause,
    });
  }
}
