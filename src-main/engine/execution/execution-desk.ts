import type { ExitReason, Order, Trade } from '../../../src-shared/contract';
import type { ExchangeOrderState, ExchangePort, MarketRules, MaybePromise } from '../ports/exchange.port';
import type { PositionRecord, TradingJournal } from '../ports/journal.port';
import type { Journaled, OrderSpec } from './records';

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
 * The executor's books and its one path to the exchange, as its protection (protection.ts) and reconciliation
 * (reconcile.ts) use them. Built once by the executor; everything here is the executor's own state, not a copy.
 */
export interface ExecutionDesk {
  readonly exchange: ExchangePort;
  readonly journal: TradingJournal;
  readonly rules: MarketRules;
  readonly listener: ExecutionListener;
  /** open positions by id */
  readonly open: ReadonlyMap<number, PositionRecord>;
  /** orders whose end is not known, by client order id */
  readonly active: Map<string, Order>;
  /** client order ids whose placement was sent and not yet answered */
  readonly placing: ReadonlySet<string>;
  /** market time of the cycle in progress */
  now(): number;
  ordersOf(positionId: number): Order[];
  journaled(spec: OrderSpec): Journaled;
  send(j: Journaled): MaybePromise<Order>;
  cancel(order: Order): MaybePromise<boolean>;
  applyState(order: Order, state: ExchangeOrderState): MaybePromise<void>;
  exit(positionId: number, reason: ExitReason): MaybePromise<Trade | null>;
  inFlight<T>(ids: string[], placed: MaybePromise<T>): MaybePromise<T>;
}

/** the exit reason of a position's stop: `trailing_stop` once the trailing rule raised it */
export const stopReason = (p: PositionRecord): ExitReason => (p.stop_trailed ? 'trailing_stop' : 'stop_loss');
