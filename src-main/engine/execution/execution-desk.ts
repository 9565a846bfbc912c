import type { ExitReason, Order, Trade } from '../../../src-shared/contract';
import type { ExchangePort, MaybePromise } from '../ports/exchange.port';
import type { PositionRecord } from '../ports/journal.port';
import type { FillBooks } from './fill-books';
import type { OrderSpec } from './records';

/**
 * The executor's books (fill-books.ts) and its one path to the exchange, as its protection (protection.ts) and
 * reconciliation (reconcile.ts) use them. Built once by the executor; the books are the executor's own, not a copy.
 */
export interface ExecutionDesk {
  readonly exchange: ExchangePort;
  readonly books: FillBooks;
  /** `order` journaled for `spec` (FillBooks.journaled), sent with the spec as its request */
  send(order: Order, spec: OrderSpec): MaybePromise<Order>;
  cancel(order: Order): MaybePromise<boolean>;
  exit(positionId: number, reason: ExitReason): MaybePromise<Trade | null>;
}

/** the exit reason of a position's stop: `trailing_stop` once the trailing rule raised it */
export const stopReason = (p: PositionRecord): ExitReason => (p.stop_trailed ? 'trailing_stop' : 'stop_loss');
