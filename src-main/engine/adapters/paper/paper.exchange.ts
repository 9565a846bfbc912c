import { CANDLE_STRIDE, writeCandle } from '../../feeds/candle-file';
import {
  requestFields,
  type AssetBalance,
  type Balances,
  type ExchangeOrderState,
  type ExchangePort,
  type MarketRules,
  type OrderRequest,
} from '../../ports/exchange.port';
import { roundToStep } from '../../market/precision';
import { numberList, objectList } from '../../fresh-lists';

/**
 * The paper book's one record per order: the order's state, answered to the caller as it is (no copy per answer and
 * none per change: it is updated in place as the order moves on, ExchangePort), and the request it was placed with.
 * One object per order where there were three (a wrapper, the state, its copy at each change): docs/benchmarks.md,
 * engine, fifth round.
 */
export interface PaperOrder extends ExchangeOrderState {
  readonly request: OrderRequest;
}

/** An order as a paper journal stores it: the request and the state apart. */
export interface SavedPaperOrder {
  request: OrderRequest;
  state: ExchangeOrderState;
}

/** Where a paper exchange keeps its book between restarts (the bot's SQLite file; nothing in a backtest). */
export interface PaperJournal {
  load(): { balances: Balances; orders: SavedPaperOrder[] } | null;
  /** store `savedPaperOrder(order)` */
  saveOrder(order: PaperOrder): void;
  saveBalances(balances: Balances): void;
  /** drop these finished orders: the book no longer keeps them */
  forgetOrders(clientOrderIds: readonly string[]): void;
  /** run several writes as one atomic unit */
  atomically(fn: () => void): void;
}

export interface PaperExchangeOptions {
  rules: MarketRules;
  startingQuote: number;
  /** % of notional per fill, charged in quote */
  feePct: number;
  /** % of price, market orders only */
  slippagePct: number;
  journal?: PaperJournal;
}

/**
 * A simulated spot exchange driven by closed candles.
 * - Market orders fill at once at the last close, worse by the slippage, rounded to the price tick against us.
 * - Resting orders are checked on every later candle: a stop sells at its trigger, or at the open when the candle
 *   gaps below it; a limit fills at its price, or at the open when the candle gaps through it.
 * - When one candle touches both the stop and the take-profit of a group, the stop fills first: candles do not say
 *   which came first, and assuming the worse one keeps backtests honest.
 * - Fees are charged in quote on every fill.
 */
export class PaperExchange implements ExchangePort {
  readonly id = 'paper';
  /** every open order, and the most recent finished ones (for idempotent retries); older finished ones are dropped */
  private readonly orders = new Map<string, PaperOrder>();
  /** the last FINISHED_ORDERS_KEPT finished orders' ids, a ring (no array growing and shifting per order) */
  private readonly finished: (string | undefined)[] = new Array<string | undefined>(FINISHED_ORDERS_KEPT).fill(undefined);
  private finishedNext = 0;
  /** orders placed in this account's life: each gets the next `paper-N` id (the book's size shrinks as it forgets) */
  private placed = 0;
  /** open orders, stops before limits so the stop-first rule needs no sorting per candle */
  private readonly resting: PaperOrder[] = objectList();
  /**
   * How far a candle must reach to touch a resting order, so one that touches none costs two compares: the highest
   * price its low must come down to (sell stops, buy limits) and the lowest its high must come up to (sell limits,
   * buy stops). Worked out again whenever the book changes (`reachOfResting`).
   */
  private readonly reach = new Float64Array([-Infinity, Infinity]);
  private readonly updates: ExchangeOrderState[] = objectList();
  /** what the candle in progress touched and at what price: kept between candles, so a fill allocates no list */
  private readonly touchedOrders: PaperOrder[] = objectList();
  private readonly touchedPrices: number[] = numberList();
  private readonly scratch = new Float64Array(CANDLE_STRIDE);
  private balance: Balances;
  private lastClose = NaN;
  private lastTs = 0;
  private feeRate: number;
  private slippageRate: number;

  constructor(private readonly opts: PaperExchangeOptions) {
    this.feeRate = opts.feePct / 100;
    this.slippageRate = opts.slippagePct / 100;
    this.balance = { base: 0, quote: opts.startingQuote };
    const saved = opts.journal?.load();
    if (saved) {
      this.balance = { ...saved.balances };
      // oldest first, so the book keeps the most recent finished orders, as it does while running
      const byAge = [...saved.orders].sort((a, b) => a.state.updatedAt - b.state.updatedAt);
      for (const { request, state: st } of byAge) {
        const o = paperOrder(request, st.exchangeOrderId, st.status, st.filled, st.averagePrice, st.fee, st.updatedAt, st.rejectReason);
        this.orders.set(request.clientOrderId, o);
        if (o.status === 'open') this.addResting(o);
        else this.retire(o);
        this.placed = Math.max(this.placed + 1, paperIdNumber(st.exchangeOrderId));
      }
      // and the journal keeps what the book keeps: else a paper account's table holds every order it ever finished
      // (~1.4 KB a trade), all read back at each start. The newest id's row stays, as the count of ids given.
      const dropped = byAge
        .filter(({ request, state }) => !this.orders.has(request.clientOrderId) && paperIdNumber(state.exchangeOrderId) < this.placed)
        .map(({ request }) => request.clientOrderId);
      if (dropped.length > 0) opts.journal?.forgetOrders(dropped);
    } else {
      opts.journal?.saveBalances(this.balance);
    }
  }

  /** fee and slippage follow the config (hot reload) */
  setCosts(feePct: number, slippagePct: number): void {
    this.feeRate = feePct / 100;
    this.slippageRate = slippagePct / 100;
  }

  /** A new paper account (its start changed before the first order): the quote it holds, nothing else. */
  resetFunds(quote: number): void {
    if (this.orders.size > 0) throw new Error('the paper account has orders; its funds cannot be reset');
    this.balance = { base: 0, quote };
    this.opts.journal?.saveBalances(this.balance);
  }

  /** Money that moves without an order (a simulated deposit, withdrawal or trade by hand): the account changes, nothing else. */
  moveFunds(change: Partial<Balances>): void {
    const next = { base: this.balance.base + (change.base ?? 0), quote: this.balance.quote + (change.quote ?? 0) };
    if (next.base < 0 || next.quote < 0) throw new Error('the paper account cannot go below zero');
    this.balance = next;
    this.opts.journal?.saveBalances(this.balance);
  }

  market(): MarketRules {
    return this.opts.rules;
  }

  balances(): Balances {
    return { ...this.balance };
  }

  /**
   * The account as an exchange shows it: resting sells hold base (the two legs of an OCO pair hold it once), resting
   * buys hold quote (their value and fee).
   */
  assetBalances(): AssetBalance[] {
    const heldByGroup = new Map<string, number>();
    let baseUsed = 0;
    let quoteUsed = 0;
    for (const { request: r } of this.resting) {
      if (r.side === 'buy') quoteUsed += r.amount * (r.price ?? r.triggerPrice ?? this.lastClose) * (1 + this.feeRate);
      else if (r.ocoGroup) heldByGroup.set(r.ocoGroup, Math.max(heldByGroup.get(r.ocoGroup) ?? 0, r.amount));
      else baseUsed += r.amount;
    }
    for (const held of heldByGroup.values()) baseUsed += held;
    const { base, quote } = this.opts.rules;
    const sheet = (asset: string, total: number, used: number): AssetBalance => {
      const held = Math.min(used, total);
      return { asset, free: total - held, used: held, total };
    };
    return [sheet(base, this.balance.base, baseUsed), sheet(quote, this.balance.quote, quoteUsed)];
  }

  get openOrderCount(): number {
    return this.resting.length;
  }

  placeOrder(request: OrderRequest): ExchangeOrderState {
    const known = this.orders.get(request.clientOrderId);
    if (known) return known; // idempotent: a retried placement after a crash returns the same order
    const order = paperOrder(request, `paper-${++this.placed}`, 'open', 0, null, 0, this.lastTs, undefined);
    this.orders.set(request.clientOrderId, order);
    const problem = this.validate(request);
    if (problem) {
      order.status = 'rejected';
      order.rejectReason = problem;
      this.opts.journal?.saveOrder(order);
      this.retire(order);
      return order;
    }
    if (request.type === 'market') {
      const price =
        request.side === 'buy'
          ? roundToStep(this.lastClose * (1 + this.slippageRate), this.opts.rules.priceStep, 'up')
          : roundToStep(this.lastClose * (1 - this.slippageRate), this.opts.rules.priceStep, 'down');
      const journal = this.opts.journal;
      if (journal) journal.atomically(() => this.fill(order, price));
      else this.fill(order, price); // a backtest: no journal, no closure per fill
    } else {
      this.addResting(order);
      this.opts.journal?.saveOrder(order);
    }
    return order;
  }

  cancelOrder(clientOrderId: string): ExchangeOrderState | null {
    const order = this.orders.get(clientOrderId);
    if (!order) return null;
    if (order.status === 'open') {
      this.cancel(order);
      this.opts.journal?.saveOrder(order);
    }
    return order;
  }

  fetchOrder(clientOrderId: string): ExchangeOrderState | null {
    return this.orders.get(clientOrderId) ?? null;
  }

  takeUpdates(): readonly ExchangeOrderState[] {
    if (this.updates.length === 0) return EMPTY;
    return this.updates.splice(0, this.updates.length);
  }

  /** A candle closed: fill what it touched. Called before the bot acts on that candle. */
  onCandle(ts: number, open: number, high: number, low: number, close: number): void {
    this.onCandleAt(writeCandle(this.scratch, ts, open, high, low, close), 0);
  }

  observePrice(price: number): void {
    this.lastClose = price;
  }

  /**
   * onCandle for the candle at `d[at]` (ts, open, high, low, close): the engine's path, nothing boxed. Whether order
   * updates wait in takeUpdates: only fills and cancels of resting orders make them, and those happen here.
   */
  onCandleAt(d: Float64Array, at: number): boolean {
    this.lastTs = d[at];
    this.lastClose = d[at + 4];
    // most candles touch no resting order; the rest of the work is a method of its own so this one stays small
    // enough for the compiler to inline into the core's per-candle path
    if (d[at + 3] <= this.reach[0] || d[at + 2] >= this.reach[1]) this.fillResting(d, at);
    return this.updates.length !== 0;
  }

  /** the resting orders the candle at `d[at]` touched, filled (stop first), their OCO partners cancelled */
  private fillResting(d: Float64Array, at: number): void {
    const ts = d[at];
    const open = d[at + 1];
    const high = d[at + 2];
    const low = d[at + 3];
    const touched = this.touchedOrders;
    if (touched.length !== 0) {
      // left over if a journal write threw
      empty(touched);
      empty(this.touchedPrices);
    }
    const resting = this.resting;
    for (let i = 0; i < resting.length; i++) {
      const order = resting[i];
      if (order.status !== 'open') continue; // cancelled by an OCO partner earlier in this loop
      const r = order.request;
      let price = NaN;
      if (r.type === 'stop_market') {
        const t = r.triggerPrice as number;
        if (r.side === 'sell' && low <= t) price = Math.min(t, open);
        else if (r.side === 'buy' && high >= t) price = Math.max(t, open);
      } else if (r.type === 'limit') {
        const p = r.price as number;
        if (r.side === 'sell' && high >= p) price = Math.max(p, open);
        else if (r.side === 'buy' && low <= p) price = Math.min(p, open);
      }
      if (Number.isNaN(price)) continue;
      touched.push(order);
      this.touchedPrices.push(price);
      if (r.ocoGroup)
        for (let j = 0; j < resting.length; j++) {
          const other = resting[j];
          // the partner's end, booked in fillTouched after the fills
          if (other !== order && other.request.ocoGroup === r.ocoGroup && other.status === 'open') other.status = 'cancelled';
        }
    }
    if (touched.length === 0) return;
    const journal = this.opts.journal;
    if (journal) journal.atomically(() => this.fillTouched(ts));
    else this.fillTouched(ts);
  }

  /** fills of what a candle touched, and the OCO partners that cancels (one journal write: the caller's) */
  private fillTouched(ts: number): void {
    const touched = this.touchedOrders;
    // never cancelled by a partner: an order touched first cancels its partners, which are then skipped
    for (let i = 0; i < touched.length; i++) this.fill(touched[i], this.touchedPrices[i]);
    empty(touched);
    empty(this.touchedPrices);
    // finished orders leave the book in place (no new array per fill)
    const resting = this.resting;
    let kept = 0;
    for (let i = 0; i < resting.length; i++) {
      const order = resting[i];
      if (order.status === 'cancelled') {
        order.updatedAt = ts;
        this.retire(order);
        this.updates.push(order);
        this.opts.journal?.saveOrder(order);
      }
      if (order.status === 'open') resting[kept++] = order;
    }
    while (resting.length > kept) resting.pop();
    this.reachOfResting();
  }

  /** `reach` for the resting orders as they are now */
  private reachOfResting(): void {
    let low = -Infinity;
    let high = Infinity;
    for (const { request: r } of this.resting) {
      const price = (r.type === 'stop_market' ? r.triggerPrice : r.price) as number;
      // a sell stop or a buy limit waits for the price to come down to it; a sell limit or a buy stop, up
      if ((r.type === 'stop_market') === (r.side === 'sell')) low = Math.max(low, price);
      else high = Math.min(high, price);
    }
    this.reach[0] = low;
    this.reach[1] = high;
  }

  private validate(r: OrderRequest): string | null {
    const rules = this.opts.rules;
    if (r.symbol !== rules.symbol) return `unknown market ${r.symbol}`;
    if (!(r.amount > 0) || !Number.isFinite(r.amount)) return 'amount must be positive';
    if (r.amount < rules.minAmount - 1e-12) return `amount below the market minimum ${rules.minAmount}`;
    if (r.type === 'market' && !Number.isFinite(this.lastClose)) return 'no market price yet';
    if (r.type === 'limit' && !(Number(r.price) > 0)) return 'limit order needs a positive price';
    if (r.type === 'stop_market' && !(Number(r.triggerPrice) > 0)) return 'stop order needs a positive trigger price';
    const refPrice = r.type === 'limit' ? (r.price as number) : r.type === 'stop_market' ? (r.triggerPrice as number) : this.lastClose;
    if (r.amount * refPrice < rules.minNotional) return `order value below the market minimum of ${rules.minNotional} ${rules.quote}`;
    if (r.type === 'market') {
      if (r.side === 'buy' && r.amount * this.lastClose * (1 + this.slippageRate) * (1 + this.feeRate) > this.balance.quote + 1e-9)
        return 'insufficient quote balance';
      if (r.side === 'sell' && r.amount > this.balance.base + 1e-12) return 'insufficient base balance';
    }
    return null;
  }

  private fill(order: PaperOrder, price: number): void {
    const r = order.request;
    const notional = r.amount * price;
    const fee = notional * this.feeRate;
    if (r.side === 'buy') {
      if (notional + fee > this.balance.quote + 1e-9) return this.reject(order, 'insufficient quote balance at fill');
      this.balance.quote -= notional + fee;
      this.balance.base += r.amount;
    } else {
      if (r.amount > this.balance.base + 1e-9) return this.reject(order, 'insufficient base balance at fill');
      this.balance.base -= r.amount;
      this.balance.quote += notional - fee;
    }
    if (this.balance.base < 1e-12) this.balance.base = 0;
    order.status = 'filled';
    order.filled = r.amount;
    order.averagePrice = price;
    order.fee = fee;
    order.updatedAt = this.lastTs;
    this.retire(order);
    if (r.type !== 'market') this.updates.push(order);
    this.opts.journal?.saveOrder(order);
    this.opts.journal?.saveBalances(this.balance);
  }

  private reject(order: PaperOrder, reason: string): void {
    order.status = 'rejected';
    order.rejectReason = reason;
    order.updatedAt = this.lastTs;
    this.retire(order);
    if (order.request.type !== 'market') this.updates.push(order);
    this.opts.journal?.saveOrder(order);
  }

  private cancel(order: PaperOrder): void {
    order.status = 'cancelled';
    order.updatedAt = this.lastTs;
    this.retire(order);
    const resting = this.resting;
    const at = resting.indexOf(order);
    if (at < 0) return;
    // shifted down by hand: splice would build an array of what it removed, once per cancel
    for (let i = at + 1; i < resting.length; i++) resting[i - 1] = resting[i];
    resting.pop();
    this.reachOfResting();
  }

  /** a finished order stays answerable for a while (retries, reconciliation), then is forgotten: bounded memory */
  private retire(order: PaperOrder): void {
    const oldest = this.finished[this.finishedNext];
    if (oldest !== undefined) this.orders.delete(oldest);
    this.finished[this.finishedNext] = order.request.clientOrderId;
    this.finishedNext = (this.finishedNext + 1) % FINISHED_ORDERS_KEPT;
  }

  private addResting(order: PaperOrder): void {
    const resting = this.resting;
    resting.push(order);
    this.reachOfResting();
    if (order.request.type !== 'stop_market') return;
    // a stop goes first, the others moved up by hand (unshift showed in the profile: once per position)
    for (let i = resting.length - 1; i > 0; i--) resting[i] = resting[i - 1];
    resting[0] = order;
  }
}

const EMPTY: readonly ExchangeOrderState[] = Object.freeze([]);

/** The book's record of an order, placed or restored: built here only, so every record has one shape (one hidden class). */
function paperOrder(
  request: OrderRequest,
  exchangeOrderId: string | null,
  status: ExchangeOrderState['status'],
  filled: number,
  averagePrice: number | null,
  fee: number,
  updatedAt: number,
  rejectReason: string | undefined,
): PaperOrder {
  // the request is kept as given, not copied (ExchangePort.placeOrder)
  return { clientOrderId: request.clientOrderId, exchangeOrderId, status, filled, averagePrice, fee, updatedAt, rejectReason, request };
}

/** N of a `paper-N` id (0 for anything else) */
function paperIdNumber(id: string | null): number {
  const n = id?.startsWith('paper-') ? Number(id.slice(6)) : 0;
  return Number.isSafeInteger(n) ? n : 0;
}

/** what a paper journal stores of `order` (its state's own fields and its request's) */
export function savedPaperOrder(order: PaperOrder): SavedPaperOrder {
  const { request, clientOrderId, exchangeOrderId, status, filled, averagePrice, fee, updatedAt, rejectReason } = order;
  return {
    request: requestFields(request),
    state: { clientOrderId, exchangeOrderId, status, filled, averagePrice, fee, updatedAt, rejectReason },
  };
}

/** an array emptied with `pop`, which keeps its storage (setting `length` to 0 drops it, to allocate it again) */
function empty(items: unknown[]): void {
  while (items.length > 0) items.pop();
}
/**
 * Enough for a placement retried while in flight. Reconciling after a restart reads the book from the journal, not
 * from here; and every finished order kept longer survives the young generation and is copied by the collector
 * (1,000 kept cost a backtest ~30 % of its time in scavenges).
 */
const FINISHED_ORDERS_KEPT = 64;
