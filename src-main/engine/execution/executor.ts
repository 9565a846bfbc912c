import type { EventData, ExitReason, Order, Position, Trade } from '../../../src-shared/contract';
import { isPromise, type ExchangeOrderState, type ExchangePort, type MarketRules, type MaybePromise } from '../ports/exchange.port';
import type { PositionRecord, TradingJournal } from '../ports/journal.port';
import { roundToStep } from '../market/precision';
import { andThen, sequence } from './maybe';
import { killPoint } from '../kill-points';
import type { ExecutionDesk } from './execution-desk';
import { FillBooks, type ExecutionListener } from './fill-books';
import { orderSpec, type OrderSpec } from './records';
import { isTooSmall, Protection } from './protection';
import { Reconciler, type ReconcileResult } from './reconcile';

export type { ExecutionListener } from './fill-books';

export interface EntryIntent {
  amount: number;
  stopLossPct: number;
  takeProfitPct: number;
  /** the price band of a live entry: a limit IOC this % above the exchange's reference price (config max_slippage_pct) */
  maxSlippagePct?: number;
}

/**
 * The one path from an intent to the exchange and back, shared by backtest, paper and live:
 * every order is journaled (with its clientOrderId) before it is sent, every fill becomes a position or a trade
 * in one atomic journal write, and a restart reconciles what the journal knows with what the exchange knows.
 */
export class Executor {
  /** positions, orders in flight and what each fill changes in them (fill-books.ts) */
  readonly books: FillBooks;
  /** stop-loss and take-profit resting for each position (protection.ts) */
  private readonly protection: Protection;
  private readonly reconciler: Reconciler;

  constructor(
    private readonly exchange: ExchangePort,
    journal: TradingJournal,
    private readonly rules: MarketRules,
    listener: ExecutionListener = {},
  ) {
    this.books = new FillBooks({ journal, rules, listener, protect: (p) => this.protection.protect(p) });
    const desk: ExecutionDesk = {
      exchange,
      books: this.books,
      send: (order, spec) => this.send(order, spec),
      cancel: (order) => this.cancel(order),
      exit: (positionId, reason) => this.exit(positionId, reason),
    };
    this.protection = new Protection(desk);
    this.reconciler = new Reconciler(desk, this.protection);
  }

  /** market time of the cycle in progress (set by the core per candle, by the bot at a resume) */
  get now(): number {
    return this.books.now;
  }
  set now(ts: number) {
    this.books.now = ts;
  }
  /** coins held by open positions */
  get openAmount(): number {
    return this.books.openAmount;
  }
  get lastRejection(): { clientOrderId: string; reason: string } | null {
    return this.books.lastRejection;
  }
  /** every position the bot holds, dust included */
  get openPositionCount(): number {
    return this.books.positionCount;
  }
  /** positions that count toward max_positions and the status: dust (under the market minimum) does not */
  get tradablePositionCount(): number {
    let n = 0;
    for (let i = 0; i < this.books.positionCount; i++) if (!this.isDust(this.books.positionAt(i))) n++;
    return n;
  }
  /** what is left is under the market minimum: the exchange would refuse to protect or sell it */
  isDust(p: PositionRecord): boolean {
    return isTooSmall(p, this.rules);
  }
  get realizedPnl(): number {
    return this.books.realized;
  }
  /** Σ (price − entry) × amount − entry fees over open positions */
  unrealizedPnl(price: number): number {
    const b = this.books;
    return b.openAmount * price - b.openCost - b.openFees;
  }
  /** cash needed for open positions' entries (not free for new ones) */
  get openCostBasis(): number {
    return this.books.openCost + this.books.openFees;
  }
  openPositions(): PositionRecord[] {
    return this.books.positions();
  }
  getPosition(id: number): PositionRecord | undefined {
    return this.books.position(id);
  }
  /** open orders that do not protect a position (limit entries…): what cancel-pending cancels */
  pendingOrders(): Order[] {
    return this.books.activeOrders().filter((o) => o.purpose === 'entry' || o.purpose === 'exit');
  }
  activeOrders(): Order[] {
    return this.books.activeOrders();
  }

  toPosition(p: PositionRecord, price: number): Position {
    return {
      id: p.id,
      symbol: p.symbol,
      side: 'long',
      amount: p.amount,
      entry_price: p.entry_price,
      current_price: price,
      unrealized_pnl: (price - p.entry_price) * p.amount - p.entry_fee,
      entry_fee: p.entry_fee,
      stop_loss_price: p.stop_loss_price,
      take_profit_price: p.take_profit_price,
      opened_at: p.opened_at,
      config_version: p.config_version,
      dust: this.isDust(p),
    };
  }

  /**
   * The position event's payload: the view with its status added to the same object. A spread and one more field
   * (`{ ...view, status }`) would make a fresh hidden class per call on Node 20, garbage in the old generation.
   */
  positionEvent(p: PositionRecord, price: number, status: 'open' | 'closed'): EventData<'position'> {
    const event = this.toPosition(p, price) as EventData<'position'>;
    event.status = status;
    return event;
  }

  /**
   * Entry at market; the position and its SL/TP orders follow from the fill. A live exchange gets it price-protected:
   * a limit IOC at its reference price plus max_slippage_pct (rounded down to the tick, never above the band), which
   * fills what it can at once and drops the rest. Paper and backtest send a market order (their slippage_pct).
   */
  enter(intent: EntryIntent): MaybePromise<Order> {
    const amount = roundToStep(intent.amount, this.rules.amountStep, 'down');
    const spec = orderSpec('buy', 'market', amount, 'entry', null, null);
    spec.sl = intent.stopLossPct;
    spec.tp = intent.takeProfitPct;
    if (!this.exchange.entryReferencePrice) return this.submit(spec);
    return this.exchange.entryReferencePrice().then((ref) => {
      spec.type = 'limit';
      spec.price = roundToStep(ref * (1 + (intent.maxSlippagePct ?? 0) / 100), this.rules.priceStep, 'down');
      spec.timeInForce = 'IOC';
      return this.submit(spec);
    });
  }

  /** Resting limit entry (manual or strategy); cancel-pending removes it. */
  enterLimit(intent: EntryIntent & { price: number }): MaybePromise<Order> {
    const amount = roundToStep(intent.amount, this.rules.amountStep, 'down');
    const spec = orderSpec('buy', 'limit', amount, 'entry', null, null);
    spec.price = roundToStep(intent.price, this.rules.priceStep, 'down');
    spec.sl = intent.stopLossPct;
    spec.tp = intent.takeProfitPct;
    return this.submit(spec);
  }

  /** Close one position at market: cancel its SL/TP first so nothing sells twice. */
  exit(positionId: number, reason: ExitReason): MaybePromise<Trade | null> {
    const position = this.books.position(positionId);
    // dust gets no sell the exchange would refuse: it is sold by hand, then written off
    if (!position || this.isDust(position)) return null;
    const protective = this.books.ordersOf(positionId, true);
    // steps as methods, not closures: an exchange that answers at once (paper, backtest) allocates none per exit
    const cancelled = sequence(protective, this.cancelStep);
    return cancelled === undefined ? this.sellOut(position, reason) : cancelled.then(() => this.sellOut(position, reason));
  }

  private readonly cancelStep = (o: Order): MaybePromise<boolean> => this.cancel(o, true);

  /** the market sell of an exit, its protection cancelled */
  private sellOut(position: PositionRecord, reason: ExitReason): MaybePromise<Trade | null> {
    if (!this.books.position(position.id)) return this.books.lastTrade; // a protective order filled meanwhile
    const sold = this.submit(orderSpec('sell', 'market', position.amount, 'exit', position.id, reason));
    return isPromise(sold) ? sold.then(() => this.afterSell(position)) : this.afterSell(position);
  }

  /** the exit did not fill, or filled in part: what is left must not stay without its stop */
  private afterSell(position: PositionRecord): MaybePromise<Trade | null> {
    if (!this.books.position(position.id)) return this.books.lastTrade;
    return andThen(this.protection.reprotect(position), () => null);
  }

  /**
   * Take a dust position off the books (after it was sold by hand, or to stop tracking it): no trade, as no order of
   * the bot sold it. Its coins and cost leave the positions; the caller moves them to the account's holdings.
   */
  writeOff(positionId: number): PositionRecord | null {
    const position = this.books.position(positionId);
    if (!position || !this.isDust(position)) return null;
    this.books.writtenOff(position);
    this.protection.dust.delete(position.id);
    return position;
  }

  /** A trailing stop rose: written, then the resting protection moved there (Protection.moveStop). */
  moveStop(positionId: number, stop: number): MaybePromise<void> {
    return this.protection.moveStop(positionId, stop);
  }

  /** Every position out at market: the trades booked, a part sold of one that filled in part included. */
  exitAll(reason: ExitReason): MaybePromise<Trade[]> {
    const booked: Trade[] = [];
    return andThen(this.exitEach(this.books.positions(), 0, reason, booked), () => booked);
  }

  /** exitAll for the core's exit signal, which needs no list of the trades */
  exitEvery(reason: ExitReason): MaybePromise<void> {
    return this.exitEach(this.books.positions(), 0, reason, null);
  }

  /**
   * Exits of `positions` from `from` on, synchronously until one answers with a promise; each trade into `booked`.
   * A loop rather than `sequence` with closures: it runs on every exit signal, and paper and backtest answer at once.
   */
  private exitEach(positions: PositionRecord[], from: number, reason: ExitReason, booked: Trade[] | null): MaybePromise<void> {
    for (let i = from; i < positions.length; i++) {
      const before = this.books.lastTrade;
      const exited = this.exit(positions[i].id, reason);
      if (isPromise(exited))
        return exited.then((t) => {
          this.keepTrade(booked, t, before);
          return this.exitEach(positions, i + 1, reason, booked);
        });
      this.keepTrade(booked, exited, before);
    }
    return undefined;
  }

  /** an exit's trade, or the one a protective order booked meanwhile (the last trade changed), if any */
  private keepTrade(booked: Trade[] | null, exited: Trade | null, before: Trade | null): void {
    if (booked === null) return;
    const last = this.books.lastTrade;
    const trade = exited ?? (last !== before ? last : null);
    if (trade) booked.push(trade);
  }

  cancelPending(): MaybePromise<number> {
    const pending = this.pendingOrders();
    let n = 0;
    return andThen(
      sequence(pending, (o) =>
        andThen(this.cancel(o), (ok) => {
          if (ok) n++;
        }),
      ),
      () => n,
    );
  }

  /** Fills and cancels of resting orders reported by the exchange. */
  applyUpdates(updates: readonly ExchangeOrderState[]): MaybePromise<void> {
    const books = this.books;
    let pending: Promise<void>[] | null = null;
    for (let i = 0; i < updates.length; i++) {
      const order = books.activeOrder(updates[i].clientOrderId);
      const r = order ? books.applyState(order, updates[i]) : undefined;
      if (r) (pending ??= []).push(r);
    }
    const applied = pending ? Promise.all(pending).then(() => undefined) : undefined;
    return books.unguarded.size === 0 ? applied : andThen(applied, () => this.protection.repair());
  }

  /** After a restart (and before each live account read): the journal matched with the exchange (reconcile.ts). */
  reconcile(price = NaN, o: { sweep?: boolean } = {}): MaybePromise<ReconcileResult> {
    return this.reconciler.reconcile(price, o);
  }

  /** Each live candle: a position whose protection went missing gets it again, or is sold (Protection.protectBare). */
  protectBare(price = NaN): MaybePromise<void> {
    return this.protection.protectBare(price);
  }

  private submit(spec: OrderSpec): MaybePromise<Order> {
    return this.send(this.books.journaled(spec), spec);
  }

  /** hand a journaled order to the exchange, its spec as the request, and apply its answer */
  private send(order: Order, spec: OrderSpec): MaybePromise<Order> {
    killPoint('order-journaled');
    const answer = this.exchange.placeOrder(spec);
    // the list of ids in flight only for an answer that comes later: the paper exchange answers at once, 4 times a trade
    const state = isPromise(answer) ? this.books.inFlight([order.client_order_id], answer) : answer;
    // an exchange that answers at once (paper, backtest: ~4 orders per trade) gets no closure per order
    return isPromise(state) ? state.then((s) => this.placed(order, s)) : this.placed(order, state);
  }

  /** an entry's fill resolves only once its protection rests on the exchange */
  private placed(order: Order, state: ExchangeOrderState): MaybePromise<Order> {
    killPoint('order-placed');
    const applied = this.books.applyState(order, state);
    return applied === undefined ? order : applied.then(() => order);
  }

  /** `onPurpose`: the protection of a position the executor sells next (FillBooks.applyState) */
  private cancel(order: Order, onPurpose = false): MaybePromise<boolean> {
    const state = this.exchange.cancelOrder(order.client_order_id);
    // an exchange that answers at once (paper, backtest: two cancels per signal exit) gets no closure per cancel
    return isPromise(state) ? state.then((s) => this.cancelled(order, s, onPurpose)) : this.cancelled(order, state, onPurpose);
  }

  /** a cancel's answer; no state means the exchange does not know the order: it is gone */
  private cancelled(order: Order, state: ExchangeOrderState | null, onPurpose: boolean): MaybePromise<boolean> {
    if (!state) {
      this.books.applyState(
        order,
        {
          clientOrderId: order.client_order_id,
          exchangeOrderId: order.exchange_order_id,
          status: 'cancelled',
          filled: 0,
          averagePrice: null,
          fee: 0,
          updatedAt: this.books.now,
        },
        onPurpose,
      );
      return true;
    }
    const applied = this.books.applyState(order, state, onPurpose);
    const ok = state.status === 'cancelled';
    return applied === undefined ? ok : applied.then(() => ok);
  }
}
