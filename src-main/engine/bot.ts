import {
  ERROR_CODES,
  TIMEFRAME_MS,
  quoteOf,
  type BotConfig,
  type BotMode,
  type BotState,
  type Candle,
  type Position,
  type Stats,
  type Status,
} from '../../src-shared/contract';
import type { EventBus } from './events/event-bus';
import type { Logger } from './log/logger';
import type { SqliteStore } from './adapters/sqlite/sqlite.store';
import type { ConfigManager } from './config/config-manager';
import type { AssetBalance, ExchangePort, MarketRules, MaybePromise } from './ports/exchange.port';
import type { MarketFeed } from './ports/market-feed.port';
import { errorLine } from './log/redact';
import { Executor } from './execution/executor';
import { statsFromTotals } from './kept-stats';
import { openPositionsView, statusView, tradingView } from './bot-views';
import { type CandleListener, TradingCore } from './trading-core';
import { type AccountLedger, openLedger } from './money/account-ledger';
import { AccountKeeper } from './money/account-keeper';
import { ManualOperations } from './manual-operations';
import { CandleLoop } from './candle-loop';
import { Reconciliation, resumeAfter } from './bot-recovery';
import { executionEvents } from './execution-events';
import { BotLifecycle } from './bot-lifecycle';
import { LiveAccountReads } from './money/live-account-reads';
import { EquityWriter } from './equity-writer';
import { OrderPath } from './order-path';

export interface BotOptions {
  store: SqliteStore;
  config: ConfigManager;
  exchange: ExchangePort & CandleListener & { readonly openOrderCount?: number };
  rules: MarketRules;
  feed: MarketFeed;
  events: EventBus;
  logger: Logger;
  mode: BotMode;
  /** candles per second; 'max' = as fast as the machine goes */
  speed: number | 'max';
  /**
   * A new market after a hot-reloaded symbol or timeframe (live data): its feed, warmed, and its rules. Without it a
   * change only relabels (recorded candles are what they are).
   */
  switchMarket?: (symbol: string, timeframe: BotConfig['timeframe']) => Promise<{ feed: MarketFeed; rules: MarketRules }>;
  /** the exchange the market data comes from, when it is not the exchange that fills (paper on live data) */
  marketSource?: { exchange: string; sandbox: boolean };
  /** live limits: why an entry of `amount` at `price` may not be sent (the max order), or null */
  entryLimit?: (amount: number, price: number) => string | null;
  /** wall clock (uptime, last cycle); market time comes from the candles */
  now?: () => number;
  /** how often a live account is read besides after each fill (default a minute) */
  accountReadEveryMs?: number;
}

const CHART_CANDLES = 1000;
/** candles that warm the strategy before it trades, and the chart's first screen: the bot's and a live feed's */
export const WARMUP_CANDLES = 300;

/**
 * The bot: lifecycle (stopped → running ⇄ paused → stopped), the loop that feeds closed candles to the trading
 * core, and the bookkeeping around it (state that survives restarts, events, equity curve). Knows nothing of HTTP.
 */
export class Bot {
  private readonly lifecycle: BotLifecycle;
  private lastCycleAt: number | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly candles: Candle[] = [];
  private readonly equity: EquityWriter;
  private lastStatusEvent = 0;
  private closed = false;
  readonly executor: Executor;
  readonly core: TradingCore;
  /** start, cash flows and holdings: the account beside the trades */
  readonly ledger: AccountLedger;
  /** what a person does by hand: an entry, closing one position or all, cancelling, writing dust off */
  readonly byHand: ManualOperations;
  private readonly account: AccountKeeper;
  /** the candle loop (candle-loop.ts) and the matching with the exchange (bot-recovery.ts) */
  private readonly loop: CandleLoop;
  private readonly reconciliation: Reconciliation;
  private readonly accountReads: LiveAccountReads;
  private feed!: MarketFeed;
  private readonly now: () => number;
  /** from a live close to that cycle's orders answered: readers outside may give way (order-path.ts) */
  readonly orderPath = new OrderPath();
  private readonly feedHold = this.orderPath.switch();

  constructor(private readonly o: BotOptions) {
    this.now = o.now ?? Date.now;
    this.lifecycle = new BotLifecycle(o.store, this.now);
    // before anything reads them (the executor's realised P&L): kept figures that disagree with the history are rebuilt
    const repaired = o.store.verifyHistory();
    if (repaired.totals.length)
      o.logger.warn(`kept trade totals disagreed with the trade list (${repaired.totals.join(', ')}); rebuilt from the trades`);
    if (repaired.runningSums) o.logger.warn('running trade sums were out of step with the trade list; rebuilt');
    if (repaired.buckets) o.logger.info('equity curve buckets rebuilt from the per-candle points');
    this.loop = new CandleLoop({
      speed: o.speed,
      serial: (fn) => this.serial(fn),
      cycle: () => this.cycle(),
      failed: (e) => this.exchangeFailed('the loop', e),
      closed: () => this.closed,
      enterOrderPath: () => this.orderPath.enter(),
    });
    this.useFeed(o.feed);
    this.ledger = openLedger(o.store, { mode: o.mode, paperBalance: o.config.current.config.paper_balance });
    this.executor = new Executor(
      o.exchange,
      o.store,
      o.rules,
      executionEvents({
        exchange: o.exchange,
        events: o.events,
        logger: o.logger,
        executor: () => this.executor,
        core: () => this.core,
        readAccountSoon: () => this.accountReads.soon(),
        publishStatus: (force) => this.publishStatus(force),
      }),
    );
    this.reconciliation = new Reconciliation({
      executor: this.executor,
      exchange: o.exchange,
      rules: o.rules,
      logger: o.logger,
      events: o.events,
    });
    this.core = new TradingCore({
      mode: o.mode,
      exchange: o.exchange,
      executor: this.executor,
      rules: o.rules,
      startEquity: this.ledger.cashBase,
      config: o.config,
      historySize: WARMUP_CANDLES,
      entryLimit: o.entryLimit,
      hooks: {
        signal: (s) => {
          o.events.publish('signal', s);
          if (!s.accepted) o.logger.debug(`${s.action} signal not taken: ${s.rejected_because}`);
        },
        dailyLossLimit: (reason) => this.pauseBySelf(reason, ERROR_CODES.dailyLossLimit),
      },
    });
    this.account = new AccountKeeper({
      mode: o.mode,
      store: o.store,
      exchange: o.exchange,
      rules: o.rules,
      core: this.core,
      executor: this.executor,
      ledger: this.ledger,
      logger: o.logger,
      now: this.now,
    });
    this.accountReads = new LiveAccountReads({
      live: o.mode === 'live',
      everyMs: o.accountReadEveryMs,
      serial: (fn) => this.serial(fn),
      reconcile: () => this.executor.reconcile(this.core.lastPrice),
      read: () => this.account.read(),
      changed: () => this.publishStatus(true),
      logger: o.logger,
    });
    this.byHand = new ManualOperations({ executor: this.executor, core: this.core, writeOff: (id) => this.writeOff(id) });
    this.equity = new EquityWriter({ store: o.store, marks: () => this.core.marks, now: this.now });
    const marks = o.store.equityMarks();
    if (marks) this.core.restoreMarks(marks);
    this.core.setAccount(this.ledger.cashBase, this.ledger.holdings.base);
    // a live exchange reports fills of resting orders between candles, and trouble that must stop trading
    o.exchange.onUpdates?.(
      () =>
        void this.serial(() => this.executor.applyUpdates(o.exchange.takeUpdates())).catch((e) =>
          this.exchangeFailed('applying order updates', e),
        ),
    );
    o.exchange.onTrouble?.((reason) => this.pauseBySelf(reason, ERROR_CODES.exchange));
    o.exchange.onRecovered?.(
      () =>
        void this.serial(() => this.reconcile('reconnect')).catch((e) =>
          o.logger.warn(`reconciliation after a reconnect failed: ${errorLine(e)}`),
        ),
    );
    o.config.onChange((v) => {
      const moved = v.changes.some((c) => c.field === 'symbol' || c.field === 'timeframe');
      if (moved && o.switchMarket) void this.serial(() => this.switchMarketTo(v.config));
      else if (v.changes.some((c) => c.field === 'paper_balance' || c.field === 'symbol') && this.account.restartPaper(v.config))
        this.publishStatus(true);
      o.events.publish('config_changed', v);
      o.logger.info(`config version ${v.version} by ${v.actor}: ${v.changes.map((c) => c.field).join(', ') || 'no change'}`);
    });
  }

  /** Restore what the database knows, reconcile with the exchange, warm the strategy, resume the saved state. */
  async init(): Promise<void> {
    const store = this.o.store;
    const resumeAt = resumeAfter(store, this.timeframeMs);
    this.feed.seek(resumeAt);
    for (const c of this.feed.history(WARMUP_CANDLES)) {
      this.core.warm(c.open, c.high, c.low, c.close);
      this.remember(c);
    }
    const last = this.candles.at(-1);
    if (last) this.o.exchange.observePrice?.(last.close); // a manual entry right after start has a price to go by
    this.executor.now = resumeAt === null ? (this.candles.at(-1)?.ts ?? 0) : resumeAt;
    try {
      // on the serial chain like every other reconciliation: a fill it adopts asks for an account read, whose own
      // reconcile must not look up the new position's protection while that is still being placed
      await this.serial(() => this.reconcile('restart'));
      this.core.remark(); // at the warm-up's last price, before anyone reads the status
      // live equity is the account: never start on a guessed one
      if (this.o.mode === 'live' && (await this.account.read())) this.publishStatus(true);
    } catch (e) {
      if (this.o.mode !== 'live') throw e;
      throw new Error(
        `the exchange did not give the account's orders and balances, so the bot cannot know its equity and will not start: ${errorLine(e)}`,
      );
    }
    this.accountReads.start();
    const saved = this.lifecycle.saved(this.o.mode);
    if (saved.state === 'paused') this.transition('paused', saved.reason, saved.pausedAt);
    else if (saved.state === 'running') this.transition('running', null);
    this.o.logger.info(
      `bot ready: ${this.o.mode} mode, ${this.feed.description}, ${this.executor.openPositionCount} open position(s), state ${this.lifecycle.state}`,
    );
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────
  start(): boolean {
    return this.lifecycle.state !== 'running' && this.transition('running', null);
  }
  stop(): boolean {
    return this.lifecycle.state !== 'stopped' && this.transition('stopped', null);
  }
  pause(reason: string | null = null): boolean {
    return this.lifecycle.state !== 'paused' && this.transition('paused', reason);
  }
  resume(): boolean {
    return this.lifecycle.state !== 'running' && this.transition('running', null);
  }
  get currentState(): BotState {
    return this.lifecycle.state;
  }

  /** Match the journal with the exchange (bot-recovery.ts), at the last candle's close. */
  private reconcile(after: 'restart' | 'reconnect'): Promise<void> {
    return this.reconciliation.run(after, this.candles.at(-1)?.close ?? NaN);
  }

  private pauseBySelf(reason: string, code: (typeof ERROR_CODES)[keyof typeof ERROR_CODES]): void {
    this.o.logger.error(`pausing: ${reason}`);
    this.o.events.publish('error', { code, message: reason });
    if (this.lifecycle.state === 'running') this.transition('paused', reason);
  }

  private transition(to: BotState, reason: string | null, pausedSince: number | null = null): boolean {
    const from = this.lifecycle.move(to, reason, pausedSince);
    this.core.entriesAllowed = to === 'running';
    if (to === 'running') this.core.acknowledgeHalt();
    if (to === 'stopped') this.loop.stop();
    else this.loop.start();
    this.o.logger.info(`bot ${from} → ${to}${reason ? ` (${reason})` : ''}`);
    this.publishStatus(true);
    return true;
  }

  // ── the loop ───────────────────────────────────────────────────────────────
  /** One cycle: the next closed candle through the core. */
  private cycle(): MaybePromise<void> {
    const candle = this.feed.next();
    if (!candle) return undefined;
    let result: MaybePromise<void>;
    try {
      result = this.core.processCandle(candle.ts, candle.open, candle.high, candle.low, candle.close);
    } catch (e) {
      this.o.logger.error(`cycle failed: ${errorLine(e)}`);
      this.o.events.publish('error', { code: ERROR_CODES.exchange, message: errorLine(e) });
      return undefined;
    }
    const after = () => {
      this.remember(candle);
      this.lastCycleAt = this.now();
      this.o.store.setMeta('last_candle_ts', String(candle.ts));
      this.equity.add({ ts: this.core.lastTs, equity: this.core.equity });
      this.publishStatus(false);
    };
    // a live exchange call that failed mid-cycle (after its retries) must not end the loop or the process
    if (result instanceof Promise)
      return result.then(after, (e) => {
        this.exchangeFailed('the cycle', e);
        after();
      });
    after();
    return undefined;
  }

  private exchangeFailed(during: string, e: unknown): void {
    const message = `${during} failed: ${errorLine(e)}`;
    this.o.logger.error(message);
    this.o.events.publish('error', { code: ERROR_CODES.exchange, message });
  }

  /** Manual operations and cycles never interleave. */
  serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private remember(c: Candle): void {
    this.candles.push(c);
    if (this.candles.length > CHART_CANDLES * 1.2) this.candles.splice(0, this.candles.length - CHART_CANDLES);
  }

  /**
   * A status_change at most once a second from the candles, and at once after every position or trade event: whoever
   * follows the status alone (the fleet, the tray, a remote dashboard) never shows an open count the stream has passed.
   */
  private publishStatus(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastStatusEvent < 1000) return;
    this.lastStatusEvent = t;
    this.o.events.publish('status_change', this.status());
  }

  /** A live feed wakes the loop when a candle closes; its ask at a close starts the order path, unless the bot is stopped. */
  private useFeed(feed: MarketFeed): void {
    this.feed = feed;
    feed.onReady?.(this.loop.wake);
    feed.onAsking?.((asking) => this.feedHold(asking && this.lifecycle.state !== 'stopped'));
  }

  /**
   * Trade another market without a restart (allowed while flat): the new feed and rules replace the old ones between
   * two cycles, the chart and the strategy start over on the new market's history. If the new market cannot be opened
   * the bot pauses itself and says why; nothing is traded on a half-switched market.
   */
  private async switchMarketTo(config: BotConfig): Promise<void> {
    const { symbol, timeframe } = config;
    try {
      const next = await (this.o.switchMarket as NonNullable<BotOptions['switchMarket']>)(symbol, timeframe);
      this.feed.stop?.();
      this.useFeed(next.feed);
      // the rules object is shared by the executor, the core and the exchange: rewritten in place, all follow at once
      Object.assign(this.o.rules, next.rules);
      const history = this.feed.history(WARMUP_CANDLES);
      this.candles.length = 0;
      for (const c of history) this.remember(c);
      this.core.rewarm(history);
      const last = history.at(-1);
      if (last) this.o.exchange.observePrice?.(last.close);
      this.o.logger.info(`now trading ${symbol} ${timeframe}: ${this.feed.description}`);
      // another market is another pair of assets: before the first order its value is the new start
      const moved = this.o.mode === 'live' ? await this.account.read() : this.account.restartPaper(config);
      if (moved) this.publishStatus(true);
      this.publishStatus(true);
    } catch (e) {
      this.pauseBySelf(`could not switch to ${symbol} ${timeframe}: ${errorLine(e)}`, ERROR_CODES.feed);
    }
  }

  // ── the account ────────────────────────────────────────────────────────────
  /** Read the live account now (between cycles): fills first, then what moved without the bot. */
  refreshAccount(): Promise<void> {
    return this.accountReads.now();
  }

  /** A dust position taken off the books: its coins and their cost join the holdings, so equity does not move. */
  private writeOff(positionId: number): boolean {
    const p = this.account.writeOff(positionId);
    if (!p) return false;
    this.o.events.publish('position', this.executor.positionEvent(p, this.core.lastPrice || p.entry_price, 'closed'));
    this.publishStatus(true);
    return true;
  }

  // ── views ──────────────────────────────────────────────────────────────────
  status(): Status {
    const { config, version } = this.o.config.current;
    return statusView(this.lifecycle.view(), tradingView(this.core, this.executor, this.reconciliation.attention), {
      mode: this.o.mode,
      exchange: this.o.marketSource?.exchange ?? this.o.exchange.id,
      market: this.feed.kind,
      sandbox: this.o.marketSource?.sandbox ?? false,
      symbol: config.symbol,
      timeframe: config.timeframe,
      last_cycle_at: this.lastCycleAt,
      config_version: version,
    });
  }

  positions(): Position[] {
    return openPositionsView(this.core, this.executor);
  }

  /** /bot/stats from the kept figures: O(open positions), whatever the history */
  stats(): Stats {
    return statsFromTotals({
      totals: this.o.store.tradeTotals(),
      startEquity: this.ledger.startEquity,
      openPositions: this.positions(),
      maxDrawdownPct: this.core.maxDrawdownPct,
      todayStart: this.core.dayStart,
      stakeCurrency: quoteOf(this.o.config.current.config.symbol),
      netCashFlow: this.ledger.netCashFlow,
      holdingsPnl: this.ledger.holdingsPnl(this.core.lastPrice),
    });
  }

  /** every position the bot holds, dust included (what a symbol change must wait for) */
  get heldPositions(): number {
    return this.executor.openPositionCount;
  }

  /** the traded market's two assets as the exchange holds them, for readers outside the bot (shared, ~1 s old at most) */
  assetBalances(): MaybePromise<AssetBalance[]> {
    return this.o.exchange.sharedBalances?.get() ?? this.o.exchange.assetBalances(this.o.config.current.config.symbol);
  }

  recentCandles(limit: number): Candle[] {
    return this.candles.slice(-limit);
  }

  get timeframeMs(): number {
    return TIMEFRAME_MS[this.o.config.current.config.timeframe];
  }

  /** stop the loop, flush buffered writes; the database stays consistent at every point anyway */
  async close(): Promise<void> {
    this.closed = true;
    this.loop.stop();
    this.accountReads.close();
    this.feed.stop?.();
    await this.chain.catch(() => undefined);
    this.equity.write();
  }
}
