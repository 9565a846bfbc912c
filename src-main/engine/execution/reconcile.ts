import type { MaybePromise } from '../ports/exchange.port';
import { andThen, sequence } from './maybe';
import { stopReason, type ExecutionDesk } from './execution-desk';
import type { Protection } from './protection';

/** a type, not an interface: it goes into a log line's fields as it is */
export type ReconcileResult = {
  /** orders whose state was found on the exchange */
  adopted: number;
  /** orders never sent (not found) */
  failed: number;
  /** positions given a whole pair again */
  protectedAgain: number;
  /** orders of ours resting unknown to the books, cancelled (sweepStrays) */
  strays: number;
};

/** The journal matched with the exchange: at start, after a reconnect, before each live account read (executor.ts). */
export class Reconciler {
  constructor(
    private readonly d: ExecutionDesk,
    private readonly protection: Protection,
  ) {}

  /**
   * After a restart: ask the exchange about every order the journal does not know the outcome of (with `sweep`, also
   * cancel any order of ours resting there that the books no longer count: sweepStrays), then make sure every open
   * position has its stop and take-profit resting (or is sold when `price`, the market now, is already through its
   * stop). Runs before the strategy may act, on the bot's serial chain (never beside another reconciliation).
   */
  reconcile(price = NaN, o: { sweep?: boolean } = {}): MaybePromise<ReconcileResult> {
    const result: ReconcileResult = { adopted: 0, failed: 0, protectedAgain: 0, strays: 0 };
    // an order whose placement is still under way has no outcome to find yet: its answer will bring it
    const books = this.d.books;
    const orders = books.activeOrders().filter((order) => !books.placing.has(order.client_order_id));
    const looked = sequence(orders, (order) =>
      andThen(this.d.exchange.fetchOrder(order.client_order_id), (state) => {
        if (state) {
          result.adopted++;
          return books.applyState(order, state);
        } else if (order.status === 'new') {
          // Never reached the exchange: the paper book is in the same database, so its absence is proof.
          // A live adapter must only answer null after a grace period (orders can be invisible for a while).
          result.failed++;
          books.applyState(order, {
            clientOrderId: order.client_order_id,
            exchangeOrderId: null,
            status: 'rejected',
            filled: 0,
            averagePrice: null,
            fee: 0,
            updatedAt: books.now,
            rejectReason: 'not found on the exchange after a restart',
          });
        }
        return undefined;
      }),
    );
    const checked = o.sweep ? andThen(looked, () => this.sweepStrays(result)) : looked;
    return andThen(checked, () =>
      andThen(
        sequence(books.positions(), (p) => {
          // the market went through the stop while nothing protected the position: the stop would have sold, so sell
          const mine = books.ordersOf(p.id);
          const bare = mine.length === 0;
          if (bare && price <= p.stop_loss_price) return this.d.exit(p.id, stopReason(p));
          // a stop resting without its take-profit (a crash between the two legs, or the leg lost while down): past
          // the target it sells as the target would have; otherwise the pair is placed whole again
          const stopAlone = mine.length === 1 && mine[0].purpose === 'stop_loss';
          if (stopAlone && price >= p.take_profit_price) return this.d.exit(p.id, 'take_profit');
          if (stopAlone)
            return andThen(this.d.cancel(mine[0]), () => {
              books.unguarded.delete(p.id);
              return andThen(this.protection.reprotect(p), (placed) => void (placed && result.protectedAgain++));
            });
          // a stop that rests at another price than the position's (a crash while a trailing stop moved) is moved
          return andThen(this.protection.reprotect(p), (placed) => {
            if (placed) result.protectedAgain++;
            else return this.protection.restop(p);
          });
        }),
        () => result,
      ),
    );
  }

  /**
   * Orders resting on the exchange under a client order id this bot journaled, that its books no longer count as
   * active (a final state written while the order was still on its way, by an older version or a race): each is
   * cancelled, and whatever it filled meanwhile is booked like any fill, so no order of ours rests unknown holding the
   * position's coins (docs/security.md, R2). Resting orders the journal never sent are left to the account check.
   */
  private sweepStrays(result: { strays: number }): MaybePromise<void> {
    if (!this.d.exchange.openClientOrderIds) return undefined;
    return this.d.exchange.openClientOrderIds().then((ids) =>
      sequence(ids, (id) => {
        const books = this.d.books;
        if (books.activeOrder(id) || books.placing.has(id)) return undefined;
        const order = books.journal.findOrder(id);
        if (!order) return undefined;
        result.strays++;
        books.reopen(order); // the exchange proves it rests: its journaled end was wrong
        return andThen(this.d.cancel(order), () => undefined);
      }),
    );
  }
}
