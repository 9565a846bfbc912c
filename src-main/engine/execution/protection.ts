import type { PositionRecord } from '../ports/journal.port';
import { isPromise, type MarketRules, type MaybePromise } from '../ports/exchange.port';
import { orderSpec, type OrderSpec } from './records';
import type { Order } from '../../../src-shared/contract';
import { andThen, sequence } from './maybe';
import { killPoint } from '../kill-points';
import { stopReason, type ExecutionDesk } from './execution-desk';

/**
 * A position's protection on the exchange (the executor's, executor.ts): its stop-loss and take-profit rested as one
 * pair, placed again whole when one went missing, moved when a trailing stop rose, and a position that can no longer
 * be protected sold or reported. Works on the executor's own books through its desk.
 */
export class Protection {
  constructor(private readonly d: ExecutionDesk) {}

  /**
   * A trailing stop rose (execution/trailing-stops.ts): the position's new stop is written first, then its resting
   * protection is replaced. The coins are held by the resting pair, so the new one cannot rest before the old is
   * cancelled; a crash in between leaves the journal saying where the stop belongs, and reconcile rests it there.
   */
  moveStop(positionId: number, stop: number): MaybePromise<void> {
    const p = this.d.books.position(positionId);
    if (!p || tooSmall(p, this.d.books.rules) !== null || !(stop > p.stop_loss_price)) return undefined;
    p.stop_loss_price = stop;
    p.stop_trailed = 1;
    this.d.books.journal.saveStop(p);
    this.d.books.listener.stopMoved?.(p);
    return this.restop(p);
  }

  /**
   * The protection resting for a position whose stop is not at the position's stop price is cancelled and placed
   * again at that price (its take-profit unchanged). A position with no stop resting, or an exit in flight, is left
   * to reprotect and the exit.
   */
  restop(p: PositionRecord): MaybePromise<void> {
    const mine = this.d.books.ordersOf(p.id);
    const stop = mine.find((o) => o.purpose === 'stop_loss');
    if (!stop || stop.trigger_price === p.stop_loss_price || mine.some((o) => o.purpose === 'exit')) return undefined;
    return andThen(
      sequence(mine, (o) => this.d.cancel(o)),
      () => {
        this.d.books.unguarded.delete(p.id); // cancelled on purpose: replaced here, not repaired later
        if (!this.d.books.position(p.id) || this.d.books.ordersOf(p.id).some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit'))
          return undefined;
        return this.protect(p);
      },
    );
  }

  /**
   * Positions that lost a protective order while still open (FillBooks.unguarded): a take-profit that filled in part
   * (binance then expires the stop of the pair), a stop cancelled by hand on the exchange, a leg refused. Each gets a
   * whole pair again.
   */
  repair(): MaybePromise<void> {
    const unguarded = this.d.books.unguarded;
    const ids = [...unguarded];
    unguarded.clear();
    return sequence(ids, (id) => {
      const p = this.d.books.position(id);
      return p ? this.reprotect(p) : undefined;
    });
  }

  /**
   * Each live candle: every open position without a resting stop (its pair refused, lost or cancelled by hand) gets
   * its protection again; one whose stop rests alone (the exchange refused the take-profit beside it, e.g. because
   * the market was already past it) has its take-profit watched here, and is sold once `price` reaches it.
   */
  protectBare(price = NaN): MaybePromise<void> {
    return sequence(this.d.books.positions(), (p) => {
      const mine = this.d.books.ordersOf(p.id);
      const stopAlone = mine.length === 1 && mine[0].purpose === 'stop_loss';
      if (stopAlone && price >= p.take_profit_price) return this.d.exit(p.id, 'take_profit');
      // no stop rests and the market is already through it: the exchange refuses a stop that would trigger at once,
      // so the bot sells, as the stop would have
      const bare = !mine.some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit');
      if (bare && price <= p.stop_loss_price) return this.d.exit(p.id, stopReason(p));
      return andThen(this.reprotect(p), (placed) => (placed ? undefined : this.restop(p)));
    });
  }

  /**
   * A position with no resting stop gets a whole pair again (true when one was sent); one with its stop or an exit in
   * flight is left alone. A take-profit still resting alone holds the coins the new pair needs, so it is cancelled
   * first; if it had filled in part, that part becomes a trade and the pair covers what is left.
   */
  reprotect(p: PositionRecord): MaybePromise<boolean> {
    const books = this.d.books;
    const guarded = () => books.ordersOf(p.id).some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit');
    if (!books.position(p.id) || guarded()) return false;
    return andThen(
      sequence(books.ordersOf(p.id), (o) => this.d.cancel(o)),
      () => {
        if (!books.position(p.id) || guarded()) return false;
        const why = tooSmall(p, books.rules);
        if (why) {
          if (!this.dust.has(p.id)) books.listener.unprotectable?.(p, why);
          this.dust.add(p.id);
          return false;
        }
        return andThen(this.protect(p), () => true);
      },
    );
  }

  /** positions already reported as too small to protect */
  readonly dust = new Set<number>();

  /**
   * Rest the stop-loss and take-profit on the exchange as one OCO pair, so they hold even if we crash. Both orders are
   * journaled first; an exchange that places a pair in one request (binance's order list) gets them together.
   */
  protect(p: PositionRecord): MaybePromise<void> {
    const oco = `pos-${p.id}`;
    const stopSpec = orderSpec('sell', 'stop_market', p.amount, 'stop_loss', p.id, stopReason(p));
    stopSpec.triggerPrice = p.stop_loss_price;
    stopSpec.ocoGroup = oco;
    const stop = this.d.books.journaled(stopSpec);
    const targetSpec = orderSpec('sell', 'limit', p.amount, 'take_profit', p.id, 'take_profit');
    targetSpec.price = p.take_profit_price;
    targetSpec.ocoGroup = oco;
    const target = this.d.books.journaled(targetSpec);
    if (this.d.exchange.placeProtection) {
      const ids = [stop.client_order_id, target.client_order_id];
      return andThen(this.d.books.inFlight(ids, this.d.exchange.placeProtection(stopSpec, targetSpec)), ([s, t]) => {
        killPoint('order-placed');
        this.d.books.applyState(stop, s);
        this.d.books.applyState(target, t);
        return s.status === 'rejected' && s.wouldTrigger ? this.sellThroughStop(p) : undefined;
      });
    }
    // an exchange that answers at once (paper, backtest: once per trade) gets no closure
    const stopPlaced = this.d.send(stop, stopSpec);
    if (isPromise(stopPlaced)) return stopPlaced.then(() => this.placeTarget(target, targetSpec));
    return this.placeTarget(target, targetSpec);
  }

  /**
   * The exchange refused the stop because the market is already through it (after a restart, a fill at a gap, a
   * stop raised into the price): it would have filled at once, so the position is sold now, as the stop would have —
   * not left bare until the next candle's close (protectBare), which on a long timeframe is hours away. Once per
   * position at a time: the exit repairs a sell that did not fill by protecting again, and that must not sell again.
   */
  private sellThroughStop(p: PositionRecord): MaybePromise<void> {
    if (this.sellingThrough.has(p.id) || !this.d.books.position(p.id)) return undefined;
    if (this.d.books.ordersOf(p.id).some((o) => o.purpose === 'stop_loss' || o.purpose === 'exit')) return undefined;
    this.sellingThrough.add(p.id);
    const done = () => void this.sellingThrough.delete(p.id);
    let sold: MaybePromise<unknown>;
    try {
      sold = this.d.exit(p.id, stopReason(p));
    } finally {
      if (!isPromise(sold)) done();
    }
    return isPromise(sold) ? sold.then(() => undefined).finally(done) : undefined;
  }

  /** positions being sold because their stop would have triggered at once (sellThroughStop) */
  private readonly sellingThrough = new Set<number>();

  private placeTarget(target: Order, spec: OrderSpec): MaybePromise<void> {
    const placed = this.d.send(target, spec);
    return isPromise(placed) ? placed.then(() => undefined) : undefined;
  }
}

/** why what is left of `p` is under the market minimum (the exchange would refuse to protect or sell it), or null */
export function tooSmall(p: PositionRecord, rules: MarketRules): string | null {
  if (!isTooSmall(p, rules)) return null;
  const { minAmount, minNotional, base, quote } = rules;
  if (p.amount < minAmount - 1e-12) return `${p.amount} ${base} is under the market minimum of ${minAmount} ${base}`;
  return `${p.amount} ${base} at the stop ${p.stop_loss_price} is worth under the market minimum of ${minNotional} ${quote}`;
}

/** tooSmall's answer without its sentence: counted for every open position on each entry signal (dust) */
export function isTooSmall(p: PositionRecord, rules: MarketRules): boolean {
  return p.amount < rules.minAmount - 1e-12 || p.amount * p.stop_loss_price < rules.minNotional;
}
