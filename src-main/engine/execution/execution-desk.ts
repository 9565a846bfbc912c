import type { ExitReason, Order, Trade } from '../../../src-shared/contract';
import type { ExchangePort, MaybePromise } from '../ports/exchange.port';
import type { PositionRecord } from '../ports/journal.port';
import type { FillBooks } from './fill-books';
import type { Journaled } from './records';

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

/**
 * The executor's books (fill-books.ts) and its one path to the exchange, as its protection (protection.ts) and
 * reconciliation (reconcile.ts) use them. Built once by the executor; the books are the executor's own, not a copy.
 */
export interface ExecutionDesk {
  readonly exchange: ExchangePort;
  readonly books: FillBooks;
  send(j: Journaled): MaybePromise<Order>;
  cancel(order: Order): MaybePromise<boolean>;
  exit(positionId: number, reason: ExitReason): MaybePromise<Trade | null>;
}

/** the exit reason of a position's stop: `trailing_stop` once the trailing rule raised it */
export const stopReason = (p: PositionRecord): ExitReason => (p.stop_trailed ? 'trailing_stop' : 'stop_loss');
