import type { ExitReason, Order, Position, Trade } from '../../../src-shared/contract';
import type { ExchangeOrderState, ExchangePort, MarketRules, MaybePromise, OrderRequest } from '../ports/exchange.port';
import { isPromise } from '../ports/exchange.port';
import type { PositionRecord, TradingJournal } from '../ports/journal.port';
import { roundToStep } from '../market/precision';
import { andThen, sequence } from './maybe';
import { exitTrade } from './exit-trade';
import { killPoint } from '../kill-points';

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

export interface EntryIntent {
  amount: number;
  stopLossPct: number;
  takeProfitPct: number;
  /** the price band of a live entry: a limit IOC this % above the exchange's reference price (config max_slippage_pct) */
  maxSlippagePct?: number;
}

type Purpose = Order['purpose'];
interface OrderSpec {
  side: 'buy' | 'sell';
  type: Order['type'];
  amount: number;
  price?: number;
  trigger?: number;
  purpose: Purpose;
  positionId: number | null;
  exitReason: ExitReason | null;
  sl?: number;
  tp?: number;
  oco?: string;
  tif?: 'IOC';
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
  }

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
    return this.tooSmall(p) !== null;
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
    return this.open.has(position.id) ? andThen(this.reprotect(position), () => null) : this.lastTrade;
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
    this.dust.delete(position.id);
    return position;
  }

  /**
   * A trailing stop rose (execution/trailing-stops.ts): the position's new stop is written first, then its resting
   * protection is replaced. The coins are held by the resting pair, so the new one cannot rest before the old is
   * cancelled; a crash in between leaves the journal saying where the stop belongs, and reconcile rests it there.
   */
  moveStop(positionId: number, stop: number): MaybePromise<void> {
    const p = this.open.get(positionId);
    if (!p || this.isDust(p) || !(stop > p.stop_loss_price)) return undefined;
    p.stop_loss_price = stop;
    p.stop_trailed = 1;
    this.journal.saveStop(p);
    this.listener.stopMoved?.(p);
    return this.restop(p);
  }

  /**
   * The protection resting for a position whose stop is not at the position's stop price is cancelled and placed
   * again at that price (its take-profit unchanged). A position with no stop resting, or an exit in flight, is left
   * to reprotect and the exit.
   */
  private restop(p: PositionRecord): MaybePromise<void> {
    const mine = this.ordersOf(p.id);
    const stop = mine.find((o) => o.purpose === 'stop_loss');
    if (!stop || stop.trigger_price === p.stop_loss_price || mine.some((o) => o.purpose === 'exit')) return undefined;
    return andThen(
      sequence(mine, (o) => this.cancel(o)),
      () => {
        this.unguarded.delete(p.id); // cancelled on purpose: replaced here, not repaired later
        if (!this.open.has(p.id) || this.ordersOf(p.id).some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit')) return undefined;
        return this.protect(p);
      },
    );
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
    return this.unguarded.size === 0 ? applied : andThen(applied, () => this.repairProtection());
  }

  /**
   * Positions that lost a protective order while still open: a take-profit that filled in part (binance then expires
   * the stop of the pair), a stop cancelled by hand on the exchange, a leg refused. Each gets a whole pair again.
   */
  private readonly unguarded = new Set<number>();
  private repairProtection(): MaybePromise<void> {
    const ids = [...this.unguarded];
    this.unguarded.clear();
    return sequence(ids, (id) => {
      const p = this.open.get(id);
      return p ? this.reprotect(p) : undefined;
    });
  }

  /**
   * After a restart: ask the exchange about every order the journal does not know the outcome of, then make sure
   * every open position has its stop and take-profit resting (or is sold when `price`, the market now, is already
   * through its stop). Runs before the strategy may act.
   */
  reconcile(price = NaN): MaybePromise<{ adopted: number; failed: number; protectedAgain: number }> {
    const result = { adopted: 0, failed: 0, protectedAgain: 0 };
    const orders = [...this.active.values()];
    const checked = sequence(orders, (order) =>
      andThen(this.exchange.fetchOrder(order.client_order_id), (state) => {
        if (state) {
          result.adopted++;
          return this.applyState(order, state);
        } else if (order.status === 'new') {
          // Never reached the exchange: the paper book is in the same database, so its absence is proof.
          // A live adapter must only answer null after a grace period (orders can be invisible for a while).
          result.failed++;
          this.applyState(order, {
            clientOrderId: order.client_order_id,
            exchangeOrderId: null,
            status: 'rejected',
            filled: 0,
            averagePrice: null,
            fee: 0,
            updatedAt: this.now,
            rejectReason: 'not found on the exchange after a restart',
          });
        }
        return undefined;
      }),
    );
    return andThen(checked, () =>
      andThen(
        sequence([...this.open.values()], (p) => {
          // the market went through the stop while nothing protected the position: the stop would have sold, so sell
          const mine = this.ordersOf(p.id);
          const bare = mine.length === 0;
          if (bare && price <= p.stop_loss_price) return this.exit(p.id, stopReason(p));
          // a stop resting without its take-profit (a crash between the two legs, or the leg lost while down): past
          // the target it sells as the target would have; otherwise the pair is placed whole again
          const stopAlone = mine.length === 1 && mine[0].purpose === 'stop_loss';
          if (stopAlone && price >= p.take_profit_price) return this.exit(p.id, 'take_profit');
          if (stopAlone)
            return andThen(this.cancel(mine[0]), () => {
              this.unguarded.delete(p.id);
              return andThen(this.reprotect(p), (placed) => void (placed && result.protectedAgain++));
            });
          // a stop that rests at another price than the position's (a crash while a trailing stop moved) is moved
          return andThen(this.reprotect(p), (placed) => {
            if (placed) result.protectedAgain++;
            else return this.restop(p);
          });
        }),
        () => result,
      ),
    );
  }

  private lastTrade: Trade | null = null;

  private submit(spec: OrderSpec): MaybePromise<Order> {
    return this.send(this.journaled(spec));
  }

  /** hand a journaled order to the exchange and apply its answer */
  private send(j: { order: Order; request: OrderRequest }): MaybePromise<Order> {
    killPoint('order-journaled');
    const state = this.exchange.placeOrder(j.request);
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
  private journaled(spec: OrderSpec): { order: Order; request: OrderRequest } {
    const id = ++this.ids.order;
    const order: Order = {
      id,
      client_order_id: `bd-${id}`,
      exchange_order_id: null,
      symbol: this.rules.symbol,
      side: spec.side,
      type: spec.type,
      purpose: spec.purpose,
      amount: spec.amount,
      price: spec.price ?? null,
      trigger_price: spec.trigger ?? null,
      status: 'new',
      filled: 0,
      average_price: null,
      fee: 0,
      position_id: spec.positionId,
      exit_reason: spec.exitReason,
      created_at: this.now,
      updated_at: this.now,
      config_version: this.configVersion,
    };
    if (spec.sl !== undefined) this.entryRisk.set(order.client_order_id, { sl: spec.sl, tp: spec.tp ?? 0 });
    this.journal.saveOrder(order); // the intent is durable before the exchange hears of it
    this.active.set(order.client_order_id, order);
    const request: OrderRequest = {
      clientOrderId: order.client_order_id,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      amount: order.amount,
      price: spec.price,
      triggerPrice: spec.trigger,
      ocoGroup: spec.oco,
    };
    // set only when there is one (a spread of a conditional object would cost an object per order)
    if (spec.tif) request.timeInForce = spec.tif;
    return { order, request };
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
    const price = entry.average_price as number;
    const risk = this.entryRisk.get(entry.client_order_id) ?? this.fallbackRisk;
    this.entryRisk.delete(entry.client_order_id);
    const position: PositionRecord = {
      id: ++this.ids.position,
      symbol: entry.symbol,
      amount,
      entry_price: price,
      entry_fee: entry.fee,
      stop_loss_price: roundToStep(price * (1 - risk.sl / 100), this.rules.priceStep, 'down'),
      take_profit_price: roundToStep(price * (1 + risk.tp / 100), this.rules.priceStep, 'up'),
      opened_at: at,
      config_version: entry.config_version,
      entry_client_order_id: entry.client_order_id,
      status: 'open',
      closed_at: null,
      stop_trailed: 0,
    };
    entry.position_id = position.id;
    this.journal.openPosition(position, entry);
    this.track(position);
    this.listener.positionOpened?.(position);
    return this.protect(position);
  }

  /**
   * Each live candle: every open position without a resting stop (its pair refused, lost or cancelled by hand) gets
   * its protection again; one whose stop rests alone (the exchange refused the take-profit beside it, e.g. because
   * the market was already past it) has its take-profit watched here, and is sold once `price` reaches it.
   */
  protectBare(price = NaN): MaybePromise<void> {
    return sequence([...this.open.values()], (p) => {
      const mine = this.ordersOf(p.id);
      const stopAlone = mine.length === 1 && mine[0].purpose === 'stop_loss';
      if (stopAlone && price >= p.take_profit_price) return this.exit(p.id, 'take_profit');
      // no stop rests and the market is already through it: the exchange refuses a stop that would trigger at once,
      // so the bot sells, as the stop would have
      const bare = !mine.some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit');
      if (bare && price <= p.stop_loss_price) return this.exit(p.id, stopReason(p));
      return andThen(this.reprotect(p), (placed) => (placed ? undefined : this.restop(p)));
    });
  }

  private ordersOf(positionId: number): Order[] {
    const mine: Order[] = [];
    for (const o of this.active.values()) if (o.position_id === positionId) mine.push(o);
    return mine;
  }

  /**
   * A position with no resting stop gets a whole pair again (true when one was sent); one with its stop or an exit in
   * flight is left alone. A take-profit still resting alone holds the coins the new pair needs, so it is cancelled
   * first; if it had filled in part, that part becomes a trade and the pair covers what is left.
   */
  private reprotect(p: PositionRecord): MaybePromise<boolean> {
    const guarded = () => this.ordersOf(p.id).some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit');
    if (!this.open.has(p.id) || guarded()) return false;
    return andThen(
      sequence(this.ordersOf(p.id), (o) => this.cancel(o)),
      () => {
        if (!this.open.has(p.id) || guarded()) return false;
        const why = this.tooSmall(p);
        if (why) {
          if (!this.dust.has(p.id)) this.listener.unprotectable?.(p, why);
          this.dust.add(p.id);
          return false;
        }
        return andThen(this.protect(p), () => true);
      },
    );
  }

  /** positions already reported as too small to protect */
  private readonly dust = new Set<number>();
  private tooSmall(p: PositionRecord): string | null {
    const { minAmount, minNotional, base, quote } = this.rules;
    if (p.amount < minAmount - 1e-12) return `${p.amount} ${base} is under the market minimum of ${minAmount} ${base}`;
    if (p.amount * p.stop_loss_price < minNotional)
      return `${p.amount} ${base} at the stop ${p.stop_loss_price} is worth under the market minimum of ${minNotional} ${quote}`;
    return null;
  }

  /**
   * Rest the stop-loss and take-profit on the exchange as one OCO pair, so they hold even if we crash. Both orders are
   * journaled first; an exchange that places a pair in one request (binance's order list) gets them together.
   */
  private protect(p: PositionRecord): MaybePromise<void> {
    const oco = `pos-${p.id}`;
    const stop = this.journaled({
      side: 'sell',
      type: 'stop_market',
      amount: p.amount,
      trigger: p.stop_loss_price,
      purpose: 'stop_loss',
      positionId: p.id,
      exitReason: stopReason(p),
      oco,
    });
    const target = this.journaled({
      side: 'sell',
      type: 'limit',
      amount: p.amount,
      price: p.take_profit_price,
      purpose: 'take_profit',
      positionId: p.id,
      exitReason: 'take_profit',
      oco,
    });
    if (this.exchange.placeProtection) {
      return andThen(this.exchange.placeProtection(stop.request, target.request), ([s, t]) => {
        this.applyState(stop.order, s);
        this.applyState(target.order, t);
      });
    }
    return andThen(this.send(stop), () => andThen(this.send(target), () => undefined));
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
    this.unguarded.add(position.id);
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

/** the exit reason of a position's stop: `trailing_stop` once the trailing rule raised it */
const stopReason = (p: PositionRecord): ExitReason => (p.stop_trailed ? 'trailing_stop' : 'stop_loss');
