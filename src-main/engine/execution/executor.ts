import type { ExitReason, Order, Position, Trade } from '../../../src-shared/contract';
import { isPromise, type ExchangeOrderState, type ExchangePort, type MarketRules, type MaybePromise } from '../ports/exchange.port';
import type { PositionRecord, TradingJournal } from '../ports/journal.port';
import { roundToStep } from '../market/precision';
import { andThen, sequence } from './maybe';
import { exitTrade } from './exit-trade';
import { killPoint } from '../kill-points';
import type { ExecutionDesk, ExecutionListener } from './execution-desk';
import { newOrder, newPosition, type Journaled, type OrderSpec } from './records';
import { Protection, tooSmall } from './protection';
import { Reconciler, type ReconcileResult } from './reconcile';

export type { ExecutionListener } from './execution-desk';

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
  private readonly open = new Map<number, PositionRecord>();
  private readonly active = new Map<string, Order>();
  private ids: { order: number; position: number; trade: number };
  /** running sums so equity is O(1) per candle */
  private realized = 0;
  /** running sums over open positions (O(1) equity). Public for the core's per-candle mark-to-market only: reading
   * fields there avoids a call that would box its double result on every candle. */
  openAmount = 0;
  openCost = 0;
  openFees = 0;
  /** market time of the cycle in progress, and its config version */
  now = 0;
  configVersion = 1;
  /** the exchange's reason for the last rejected order (what a person's refused entry is told) */
  lastRejection: { clientOrderId: string; reason: string } | null = null;
  /** SL/TP % for an entry whose own settings were lost (filled after a restart) */
  fallbackRisk = { sl: 1.5, tp: 3 };

  constructor(
    private readonly exchange: ExchangePort,
    private readonly journal: TradingJournal,
    private readonly rules: MarketRules,
    private readonly listener: ExecutionListener = {},
  ) {
    this.ids = journal.lastIds();
    this.realized = journal.realizedPnl();
    for (const p of journal.loadOpenPositions()) this.track(p);
    for (const o of journal.loadActiveOrders()) this.active.set(o.client_order_id, o);
    const desk: ExecutionDesk = {
      exchange,
      journal,
      rules,
      listener,
      open: this.open,
      active: this.active,
      placing: this.placing,
      now: () => this.now,
      ordersOf: (positionId) => this.ordersOf(positionId),
      journaled: (spec) => this.journaled(spec),
      send: (j) => this.send(j),
      cancel: (order) => this.cancel(order),
      applyState: (order, state) => this.applyState(order, state),
      exit: (positionId, reason) => this.exit(positionId, reason),
      inFlight: (ids, placed) => this.inFlight(ids, placed),
    };
    this.protection = new Protection(desk);
    this.reconciler = new Reconciler(desk, this.protection);
  }

  /** stop-loss and take-profit resting for each position (protection.ts) */
  private readonly protection: Protection;
  private readonly reconciler: Reconciler;

  /** every position the bot holds, dust included */
  get openPositionCount(): number {
    return this.open.size;
  }
  /** positions that count toward max_positions and the status: dust (under the market minimum) does not */
  get tradablePositionCount(): number {
    let n = 0;
    for (const p of this.open.values()) if (!this.isDust(p)) n++;
    return n;
  }
  /** what is left is under the market minimum: the exchange would refuse to protect or sell it */
  isDust(p: PositionRecord): boolean {
    return tooSmall(p, this.rules) !== null;
  }
  get realizedPnl(): number {
    return this.realized;
  }
  /** Σ (price − entry) × amount − entry fees over open positions */
  unrealizedPnl(price: number): number {
    return this.openAmount * price - this.openCost - this.openFees;
  }
  /** cash needed for open positions' entries (not free for new ones) */
  get openCostBasis(): number {
    return this.openCost + this.openFees;
  }
  openPositions(): PositionRecord[] {
    return [...this.open.values()];
  }
  getPosition(id: number): PositionRecord | undefined {
    return this.open.get(id);
  }
  /** open orders that do not protect a position (limit entries…): what cancel-pending cancels */
  pendingOrders(): Order[] {
    return [...this.active.values()].filter((o) => o.purpose === 'entry' || o.purpose === 'exit');
  }
  activeOrders(): Order[] {
    return [...this.active.values()];
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
   * Entry at market; the position and its SL/TP orders follow from the fill. A live exchange gets it price-protected:
   * a limit IOC at its reference price plus max_slippage_pct (rounded down to the tick, never above the band), which
   * fills what it can at once and drops the rest. Paper and backtest send a market order (their slippage_pct).
   */
  enter(intent: EntryIntent): MaybePromise<Order> {
    const amount = roundToStep(intent.amount, this.rules.amountStep, 'down');
    const spec: OrderSpec = {
      side: 'buy',
      type: 'market',
      amount,
      purpose: 'entry',
      positionId: null,
      exitReason: null,
      sl: intent.stopLossPct,
      tp: intent.takeProfitPct,
    };
    if (!this.exchange.entryReferencePrice) return this.submit(spec);
    return this.exchange.entryReferencePrice().then((ref) => {
      const price = roundToStep(ref * (1 + (intent.maxSlippagePct ?? 0) / 100), this.rules.priceStep, 'down');
      return this.submit({ ...spec, type: 'limit', price, tif: 'IOC' });
    });
  }

  /** Resting limit entry (manual or strategy); cancel-pending removes it. */
  enterLimit(intent: EntryIntent & { price: number }): MaybePromise<Order> {
    const amount = roundToStep(intent.amount, this.rules.amountStep, 'down');
    const price = roundToStep(intent.price, this.rules.priceStep, 'down');
    return this.submit({
      side: 'buy',
      type: 'limit',
      amount,
      price,
      purpose: 'entry',
      positionId: null,
      exitReason: null,
      sl: intent.stopLossPct,
      tp: intent.takeProfitPct,
    });
  }

  /** Close one position at market: cancel its SL/TP first so nothing sells twice. */
  exit(positionId: number, reason: ExitReason): MaybePromise<Trade | null> {
    const position = this.open.get(positionId);
    // dust gets no sell the exchange would refuse: it is sold by hand, then written off
    if (!position || this.isDust(position)) return null;
    const protective: Order[] = [];
    for (const o of this.active.values())
      if (o.position_id === positionId && (o.purpose === 'stop_loss' || o.purpose === 'take_profit')) protective.push(o);
    // steps as methods, not closures: an exchange that answers at once (paper, backtest) allocates none per exit
    const cancelled = sequence(protective, this.cancelStep);
    return cancelled === undefined ? this.sellOut(position, reason) : cancelled.then(() => this.sellOut(position, reason));
  }

  private readonly cancelStep = (o: Order): MaybePromise<boolean> => this.cancel(o);

  /** the market sell of an exit, its protection cancelled */
  private sellOut(position: PositionRecord, reason: ExitReason): MaybePromise<Trade | null> {
    if (!this.open.has(position.id)) return this.lastTrade; // a protective order filled meanwhile
    const sold = this.submit({
      side: 'sell',
      type: 'market',
      amount: position.amount,
      purpose: 'exit',
      positionId: position.id,
      exitReason: reason,
    });
    return isPromise(sold) ? sold.then(() => this.afterSell(position)) : this.afterSell(position);
  }

  /** the exit did not fill, or filled in part: what is left must not stay without its stop */
  private afterSell(position: PositionRecord): MaybePromise<Trade | null> {
    return this.open.has(position.id) ? andThen(this.protection.reprotect(position), () => null) : this.lastTrade;
  }

  /**
   * Take a dust position off the books (after it was sold by hand, or to stop tracking it): no trade, as no order of
   * the bot sold it. Its coins and cost leave the positions; the caller moves them to the account's holdings.
   */
  writeOff(positionId: number): PositionRecord | null {
    const position = this.open.get(positionId);
    if (!position || !this.isDust(position)) return null;
    position.status = 'written_off';
    position.closed_at = this.now;
    this.journal.writeOffPosition(position);
    this.untrack(position);
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
    return andThen(
      sequence([...this.open.keys()], (id) => {
        const before = this.lastTrade;
        return andThen(this.exit(id, reason), (t) => {
          const trade = t ?? (this.lastTrade !== before ? this.lastTrade : null);
          if (trade) booked.push(trade);
        });
      }),
      () => booked,
    );
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
    let pending: Promise<void>[] | null = null;
    for (let i = 0; i < updates.length; i++) {
      const order = this.active.get(updates[i].clientOrderId);
      const r = order ? this.applyState(order, updates[i]) : undefined;
      if (r) (pending ??= []).push(r);
    }
    const applied = pending ? Promise.all(pending).then(() => undefined) : undefined;
    return this.protection.unguarded.size === 0 ? applied : andThen(applied, () => this.protection.repair());
  }

  /** After a restart (and before each live account read): the journal matched with the exchange (reconcile.ts). */
  reconcile(price = NaN, o: { sweep?: boolean } = {}): MaybePromise<ReconcileResult> {
    return this.reconciler.reconcile(price, o);
  }

  /** client order ids whose placement was sent and not yet answered */
  private readonly placing = new Set<string>();
  /** `ids` count as in flight until `placed` settles (only an exchange that answers later has anything in flight) */
  private inFlight<T>(ids: string[], placed: MaybePromise<T>): MaybePromise<T> {
    if (!isPromise(placed)) return placed;
    for (const id of ids) this.placing.add(id);
    return placed.finally(() => {
      for (const id of ids) this.placing.delete(id);
    });
  }

  private lastTrade: Trade | null = null;

  private submit(spec: OrderSpec): MaybePromise<Order> {
    return this.send(this.journaled(spec));
  }

  /** hand a journaled order to the exchange and apply its answer */
  private send(j: Journaled): MaybePromise<Order> {
    killPoint('order-journaled');
    const state = this.inFlight([j.order.client_order_id], this.exchange.placeOrder(j.request));
    // an exchange that answers at once (paper, backtest: ~4 orders per trade) gets no closure per order
    return isPromise(state) ? state.then((s) => this.placed(j.order, s)) : this.placed(j.order, state);
  }

  /** an entry's fill resolves only once its protection rests on the exchange */
  private placed(order: Order, state: ExchangeOrderState): MaybePromise<Order> {
    killPoint('order-placed');
    const applied = this.applyState(order, state);
    return applied === undefined ? order : applied.then(() => order);
  }

  /** the order, durable with its clientOrderId before the exchange hears of it, and the request that will carry it */
  private journaled(spec: OrderSpec): Journaled {
    const j = newOrder(++this.ids.order, spec, this.rules.symbol, this.now, this.configVersion);
    const order = j.order;
    if (spec.sl !== undefined) this.entryRisk.set(order.client_order_id, { sl: spec.sl, tp: spec.tp ?? 0 });
    this.journal.saveOrder(order); // the intent is durable before the exchange hears of it
    this.active.set(order.client_order_id, order);
    return j;
  }

  /** SL/TP percentages of pending entries, until their fill opens a position */
  private readonly entryRisk = new Map<string, { sl: number; tp: number }>();

  private cancel(order: Order): MaybePromise<boolean> {
    const state = this.exchange.cancelOrder(order.client_order_id);
    // an exchange that answers at once (paper, backtest: two cancels per signal exit) gets no closure per cancel
    return isPromise(state) ? state.then((s) => this.cancelled(order, s)) : this.cancelled(order, state);
  }

  private cancelled(order: Order, state: ExchangeOrderState | null): MaybePromise<boolean> {
    if (!state) {
      this.applyState(order, {
        clientOrderId: order.client_order_id,
        exchangeOrderId: order.exchange_order_id,
        status: 'cancelled',
        filled: 0,
        averagePrice: null,
        fee: 0,
        updatedAt: this.now,
      });
      return true;
    }
    const applied = this.applyState(order, state);
    const ok = state.status === 'cancelled';
    return applied === undefined ? ok : applied.then(() => ok);
  }

  /** an order's new state from the exchange; a filled entry opens its position and returns its protection's placing */
  private applyState(order: Order, state: ExchangeOrderState): MaybePromise<void> {
    if (order.status === 'filled' || order.status === 'cancelled' || order.status === 'rejected') return undefined; // idempotent
    order.exchange_order_id = state.exchangeOrderId;
    order.updated_at = this.now;
    let protecting: MaybePromise<void> = undefined;
    if (state.status === 'filled') {
      order.status = 'filled';
      order.filled = state.filled;
      order.average_price = state.averagePrice;
      order.fee = state.fee;
      this.active.delete(order.client_order_id);
      // a fill the exchange reports between candles happened at its own time, later than the last candle's close
      const at = Math.max(this.now, state.updatedAt);
      if (order.purpose === 'entry') protecting = this.opened(order, state.received ?? state.filled, at);
      else this.closed(order, at);
    } else if (state.status === 'open') {
      if (order.status === 'open') return undefined;
      order.status = 'open';
      this.journal.saveOrder(order);
    } else {
      order.status = state.status;
      this.active.delete(order.client_order_id);
      this.entryRisk.delete(order.client_order_id);
      this.journal.saveOrder(order);
      if (
        (order.purpose === 'stop_loss' || order.purpose === 'take_profit') &&
        order.position_id !== null &&
        this.open.has(order.position_id)
      ) {
        this.protection.unguarded.add(order.position_id);
      }
      if (state.status === 'rejected') {
        this.lastRejection = { clientOrderId: order.client_order_id, reason: state.rejectReason ?? 'rejected by the exchange' };
        this.listener.rejected?.(order, this.lastRejection.reason);
      }
    }
    this.listener.order?.(order);
    return protecting;
  }

  /** `amount`: what the account holds from this fill (less than filled when the fee was taken in the coin bought) */
  private opened(entry: Order, amount: number, at: number): MaybePromise<void> {
    const risk = this.entryRisk.get(entry.client_order_id) ?? this.fallbackRisk;
    this.entryRisk.delete(entry.client_order_id);
    const position = newPosition(++this.ids.position, entry, amount, at, risk, this.rules.priceStep);
    entry.position_id = position.id;
    this.journal.openPosition(position, entry);
    this.track(position);
    this.listener.positionOpened?.(position);
    return this.protection.protect(position);
  }

  /** Each live candle: a position whose protection went missing gets it again, or is sold (Protection.protectBare). */
  protectBare(price = NaN): MaybePromise<void> {
    return this.protection.protectBare(price);
  }

  private ordersOf(positionId: number): Order[] {
    const mine: Order[] = [];
    for (const o of this.active.values()) if (o.position_id === positionId) mine.push(o);
    return mine;
  }

  private closed(exit: Order, at: number): void {
    const position = exit.position_id === null ? undefined : this.open.get(exit.position_id);
    if (!position) {
      this.journal.saveOrder(exit);
      return;
    }
    // an exit that filled in part (expired or cancelled after a partial fill) sold only that part
    if (exit.filled < position.amount - this.rules.amountStep / 2) return this.reduced(position, exit, at);
    const trade = exitTrade({
      id: ++this.ids.trade,
      position,
      exit,
      sold: position.amount,
      entryFee: position.entry_fee,
      at,
      configVersion: this.configVersion,
    });
    const pnl = trade.pnl;
    position.status = 'closed';
    position.closed_at = at;
    this.journal.closePosition(position, exit, trade);
    killPoint('exit-booked');
    this.untrack(position);
    this.realized += pnl;
    this.lastTrade = trade;
    // the OCO partner is cancelled by the exchange; forget it locally too (a Map may lose entries while iterated)
    for (const o of this.active.values()) {
      if (o.position_id === position.id && o !== exit) {
        o.status = 'cancelled';
        o.updated_at = this.now;
        this.active.delete(o.client_order_id);
        this.journal.saveOrder(o);
        this.listener.order?.(o);
      }
    }
    this.listener.positionClosed?.(position, trade);
  }

  /**
   * Part of a position sold: that part becomes a trade carrying its share of the entry fee, the rest stays open with
   * the rest of the fee, so the position's trades add up to what one whole exit would have booked. Its protection is
   * repaired by the caller (reprotect), never here: the orders that still rest for it are not known to be gone.
   */
  private reduced(position: PositionRecord, exit: Order, at: number): void {
    const sold = exit.filled;
    const entryFee = position.entry_fee * (sold / position.amount);
    const trade = exitTrade({ id: ++this.ids.trade, position, exit, sold, entryFee, at, configVersion: this.configVersion });
    this.untrack(position);
    position.amount = roundToStep(position.amount - sold, this.rules.amountStep, 'nearest');
    position.entry_fee -= entryFee;
    this.track(position);
    this.journal.closePosition(position, exit, trade);
    this.realized += trade.pnl;
    this.lastTrade = trade;
    this.protection.unguarded.add(position.id);
    this.listener.positionReduced?.(position, trade);
  }

  private track(p: PositionRecord): void {
    this.open.set(p.id, p);
    this.openAmount += p.amount;
    this.openCost += p.amount * p.entry_price;
    this.openFees += p.entry_fee;
  }

  private untrack(p: PositionRecord): void {
    this.open.delete(p.id);
    if (this.open.size === 0) {
      this.openAmount = this.openCost = this.openFees = 0; // no drift carried into the next position
      return;
    }
    this.openAmount -= p.amount;
    this.openCost -= p.amount * p.entry_price;
    this.openFees -= p.entry_fee;
  }
}
