import type { Order, Trade } from '../../../src-shared/contract';
import { isPromise, type ExchangeOrderState, type MarketRules, type MaybePromise } from '../ports/exchange.port';
import type { PositionRecord, TradingJournal } from '../ports/journal.port';
import { roundToStep } from '../market/precision';
import { killPoint } from '../kill-points';
import { exitTrade } from './exit-trade';
import { newOrder, newPosition, type OrderSpec } from './records';
import { numberList, objectList } from '../fresh-lists';

/** What the executor reports as it happens (events, logs); all optional so a backtest pays nothing. */
export interface ExecutionListener {
  order?(order: Order): void;
  positionOpened?(position: PositionRecord): void;
  positionClosed?(position: PositionRecord, trade: Trade): void;
  /** part of a position was sold (an exit that filled in part): `trade` is that part, `position` what is left */
  positionReduced?(position: PositionRecord, trade: Trade): void;
  /** the trailing rule raised a position's stop (written, its resting stop being moved) */
  stopMoved?(position: PositionRecord): void;
  /** what is left of a position is under the market's minimum: it can be neither protected nor sold (said once) */
  unprotectable?(position: PositionRecord, reason: string): void;
  rejected?(order: Order, reason: string): void;
}

export interface FillBooksOptions {
  journal: TradingJournal;
  rules: MarketRules;
  listener: ExecutionListener;
  /** rests a position's stop-loss and take-profit once its entry filled (Protection.protect) */
  protect(position: PositionRecord): MaybePromise<void>;
}

/**
 * The executor's books (executor.ts): the positions open, the orders whose end is not known, and what each answer of
 * the exchange changes in them. An order is journaled before it is sent; a filled entry opens its position, a filled
 * exit closes or reduces one, each in one journal write.
 *
 * Orders and positions are kept in short arrays (a handful at a time), not Maps: both fill and empty on every trade,
 * and a Map that empties gives its table back and allocates a new one at the next order — garbage per trade that the
 * collector paid for in backtests (docs/benchmarks.md, engine). Arrays are shortened with `pop`, which keeps their
 * storage (setting `length` to 0 would drop it).
 */
export class FillBooks {
  readonly journal: TradingJournal;
  readonly rules: MarketRules;
  readonly listener: ExecutionListener;
  private readonly protect: (position: PositionRecord) => MaybePromise<void>;
  /** open positions, oldest first (a position reduced by a partial exit goes last, as it is booked again) */
  private readonly open: PositionRecord[] = objectList();
  /** orders whose end is not known, oldest first */
  private readonly active: Order[] = objectList();
  /** entries not filled yet with the SL/TP % their position takes, side by side */
  private readonly riskEntries: Order[] = objectList();
  private readonly riskSl: number[] = numberList();
  private readonly riskTp: number[] = numberList();
  /** client order ids whose placement was sent and not yet answered */
  readonly placing = new Set<string>();
  /** positions that lost a protective order while still open: Protection.repair gives them a whole pair again */
  readonly unguarded = new Set<number>();
  private readonly ids: { order: number; position: number; trade: number };
  /** realized P&L and running sums over open positions, so equity is O(1) per candle (TradingCore reads them) */
  realized: number;
  openAmount = 0;
  openCost = 0;
  openFees = 0;
  /** market time of the cycle in progress, and its config version */
  now = 0;
  configVersion = 1;
  /** the exchange's reason for the last rejected order (what a person's refused entry is told) */
  lastRejection: { clientOrderId: string; reason: string } | null = null;
  /** the last trade booked (an exit learns from it that a protective order sold first) */
  lastTrade: Trade | null = null;
  /** SL/TP % for an entry whose own settings were lost (filled after a restart) */
  fallbackRisk = { sl: 1.5, tp: 3 };

  constructor(o: FillBooksOptions) {
    this.journal = o.journal;
    this.rules = o.rules;
    this.listener = o.listener;
    this.protect = o.protect;
    this.ids = o.journal.lastIds();
    this.realized = o.journal.realizedPnl();
    for (const p of o.journal.loadOpenPositions()) this.track(p);
    for (const order of o.journal.loadActiveOrders()) this.active.push(order);
  }

  get positionCount(): number {
    return this.open.length;
  }
  /** the i-th open position, oldest first (a walk that allocates nothing; nothing may change the books meanwhile) */
  positionAt(i: number): PositionRecord {
    return this.open[i];
  }
  /** the open positions, oldest first (a copy: exits change the books while callers walk it) */
  positions(): PositionRecord[] {
    return this.open.slice();
  }
  position(id: number): PositionRecord | undefined {
    const open = this.open;
    for (let i = 0; i < open.length; i++) if (open[i].id === id) return open[i];
    return undefined;
  }
  /** orders whose end is not known, oldest first (a copy) */
  activeOrders(): Order[] {
    return this.active.slice();
  }
  activeOrder(clientOrderId: string): Order | undefined {
    const active = this.active;
    for (let i = 0; i < active.length; i++) if (active[i].client_order_id === clientOrderId) return active[i];
    return undefined;
  }
  /** an order the books had closed that the exchange proves is still resting (reconcile.ts, sweepStrays) */
  reopen(order: Order): void {
    order.status = 'open';
    this.active.push(order);
  }
  /** the active orders of a position, oldest first; `protective`: its stop-loss and take-profit only */
  ordersOf(positionId: number, protective = false): Order[] {
    const active = this.active;
    // counted first: an array built to its size, rather than grown by push to a store of 16 (an exit asks per trade)
    let n = 0;
    for (let i = 0; i < active.length; i++) if (isOf(active[i], positionId, protective)) n++;
    const found = new Array<Order>(n);
    for (let i = 0, k = 0; k < n; i++) if (isOf(active[i], positionId, protective)) found[k++] = active[i];
    return found;
  }

  /** the order, durable with its clientOrderId before the exchange hears of it; `spec` becomes the request carrying it */
  journaled(spec: OrderSpec): Order {
    const order = newOrder(++this.ids.order, spec, this.rules.symbol, this.now, this.configVersion);
    if (spec.sl !== undefined) {
      this.riskEntries.push(order);
      this.riskSl.push(spec.sl);
      this.riskTp.push(spec.tp ?? 0);
    }
    this.journal.saveOrder(order); // the intent is durable before the exchange hears of it
    this.active.push(order);
    return order;
  }

  /** `ids` count as in flight until `placed` settles (only an exchange that answers later has anything in flight) */
  inFlight<T>(ids: string[], placed: MaybePromise<T>): MaybePromise<T> {
    if (!isPromise(placed)) return placed;
    for (const id of ids) this.placing.add(id);
    return placed.finally(() => {
      for (const id of ids) this.placing.delete(id);
    });
  }

  /**
   * An order's new state from the exchange; a filled entry opens its position and returns its protection's placing.
   * `onPurpose`: a stop or take-profit the executor cancelled to sell the position itself (Executor.exit), which
   * leaves it unguarded for no longer than that sell: what is left after it gets its protection there.
   */
  applyState(order: Order, state: ExchangeOrderState, onPurpose = false): MaybePromise<void> {
    if (order.status === 'filled' || order.status === 'cancelled' || order.status === 'rejected') return undefined; // idempotent
    order.exchange_order_id = state.exchangeOrderId;
    order.updated_at = this.now;
    let protecting: MaybePromise<void> = undefined;
    if (state.status === 'filled') {
      order.status = 'filled';
      order.filled = state.filled;
      order.average_price = state.averagePrice;
      order.fee = state.fee;
      this.forget(order);
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
      this.forget(order);
      const risk = this.riskEntries.indexOf(order);
      if (risk >= 0) this.dropRisk(risk);
      this.journal.saveOrder(order);
      if (
        !onPurpose &&
        (order.purpose === 'stop_loss' || order.purpose === 'take_profit') &&
        order.position_id !== null &&
        this.position(order.position_id)
      ) {
        this.unguarded.add(order.position_id);
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
    const i = this.riskEntries.indexOf(entry);
    const sl = i < 0 ? this.fallbackRisk.sl : this.riskSl[i];
    const tp = i < 0 ? this.fallbackRisk.tp : this.riskTp[i];
    if (i >= 0) this.dropRisk(i);
    const position = newPosition(++this.ids.position, entry, amount, at, sl, tp, this.rules.priceStep);
    entry.position_id = position.id;
    this.journal.openPosition(position, entry);
    this.track(position);
    this.listener.positionOpened?.(position);
    return this.protect(position);
  }

  /** an entry's SL/TP % off the list of pending entries (it filled, or ended without a fill) */
  private dropRisk(i: number): void {
    removeAt(this.riskEntries, i);
    removeAt(this.riskSl, i);
    removeAt(this.riskTp, i);
  }

  private closed(exit: Order, at: number): void {
    const position = exit.position_id === null ? undefined : this.position(exit.position_id);
    if (!position) {
      this.journal.saveOrder(exit);
      return;
    }
    // an exit that filled in part (expired or cancelled after a partial fill) sold only that part
    if (exit.filled < position.amount - this.rules.amountStep / 2) return this.reduced(position, exit, at);
    const trade = exitTrade(++this.ids.trade, position, exit, position.amount, position.entry_fee, at, this.configVersion);
    position.status = 'closed';
    position.closed_at = at;
    this.journal.closePosition(position, exit, trade);
    killPoint('exit-booked');
    this.untrack(position);
    this.realized += trade.pnl;
    this.lastTrade = trade;
    // the OCO partner is cancelled by the exchange; forget it locally too
    const active = this.active;
    for (let i = active.length - 1; i >= 0; i--) {
      const o = active[i];
      if (o.position_id !== position.id || o === exit) continue;
      o.status = 'cancelled';
      o.updated_at = this.now;
      removeAt(active, i);
      this.journal.saveOrder(o);
      this.listener.order?.(o);
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
    const trade = exitTrade(++this.ids.trade, position, exit, sold, entryFee, at, this.configVersion);
    this.untrack(position);
    position.amount = roundToStep(position.amount - sold, this.rules.amountStep, 'nearest');
    position.entry_fee -= entryFee;
    this.track(position);
    this.journal.closePosition(position, exit, trade);
    this.realized += trade.pnl;
    this.lastTrade = trade;
    this.unguarded.add(position.id);
    this.listener.positionReduced?.(position, trade);
  }

  /** a dust position taken off the books without a trade (Executor.writeOff) */
  writtenOff(position: PositionRecord): void {
    position.status = 'written_off';
    position.closed_at = this.now;
    this.journal.writeOffPosition(position);
    this.untrack(position);
  }

  private forget(order: Order): void {
    const i = this.active.indexOf(order);
    if (i >= 0) removeAt(this.active, i);
  }

  private track(p: PositionRecord): void {
    this.open.push(p);
    this.openAmount += p.amount;
    this.openCost += p.amount * p.entry_price;
    this.openFees += p.entry_fee;
  }

  private untrack(p: PositionRecord): void {
    const open = this.open;
    for (let i = 0; i < open.length; i++) {
      if (open[i].id !== p.id) continue;
      removeAt(open, i);
      break;
    }
    if (this.open.length === 0) {
      this.openAmount = this.openCost = this.openFees = 0; // no drift carried into the next position
      return;
    }
    this.openAmount -= p.amount;
    this.openCost -= p.amount * p.entry_price;
    this.openFees -= p.entry_fee;
  }
}

/** `o` belongs to the position (with `protective`: as its stop-loss or take-profit) */
function isOf(o: Order, positionId: number, protective: boolean): boolean {
  return o.position_id === positionId && (!protective || o.purpose === 'stop_loss' || o.purpose === 'take_profit');
}

/** `items[i]` removed, the rest kept in order; `pop` keeps the array's storage */
function removeAt<T>(items: T[], i: number): void {
  for (let j = i + 1; j < items.length; j++) items[j - 1] = items[j];
  items.pop();
}
