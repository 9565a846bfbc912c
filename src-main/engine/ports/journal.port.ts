import type { Order, Trade } from '../../../src-shared/contract';
import { objectList } from '../fresh-lists';

/** An open (or just closed) position as the engine keeps it. */
export interface PositionRecord {
  id: number;
  symbol: string;
  amount: number;
  entry_price: number;
  entry_fee: number;
  stop_loss_price: number;
  take_profit_price: number;
  opened_at: number;
  config_version: number;
  entry_client_order_id: string;
  status: 'open' | 'closed' | 'written_off';
  closed_at: number | null;
  /** 1 once the trailing rule raised the stop: a fill of that stop is a `trailing_stop` exit (0/1: SQLite has no boolean) */
  stop_trailed: 0 | 1;
}

/**
 * Where the executor writes what happened, synchronously and durably, before it tells anyone
 * (SQLite for paper/live; memory for a backtest). Each method is one atomic unit.
 */
export interface TradingJournal {
  saveOrder(order: Order): void;
  /** the entry order's fill and the position it opened, together */
  openPosition(position: PositionRecord, entryOrder: Order): void;
  /** the exit order's fill, the position after it (closed, or smaller when the exit filled in part) and its trade, together */
  closePosition(position: PositionRecord, exitOrder: Order, trade: Trade): void;
  /** a dust position taken off the books (status written_off): no order sold it, so no trade */
  writeOffPosition(position: PositionRecord): void;
  /** a position's stop moved (trailing stop): durable before the stop resting for it is cancelled */
  saveStop(position: PositionRecord): void;
  /** what a restart needs */
  loadOpenPositions(): PositionRecord[];
  /** orders whose outcome we may not know yet: status new or open */
  loadActiveOrders(): Order[];
  /** one order by its client order id, whatever its status (null when it was never journaled here) */
  findOrder(clientOrderId: string): Order | null;
  lastIds(): { order: number; position: number; trade: number };
  /** realised P&L so far (equity after a restart) */
  realizedPnl(): number;
}

/** A journal in memory: the backtest's, and a fast one for tests. */
export class MemoryJournal implements TradingJournal {
  readonly trades: Trade[] = objectList();
  private readonly orders = new Map<string, Order>();
  private readonly positions = new Map<number, PositionRecord>();
  private ids = { order: 0, position: 0, trade: 0 };
  private realized = 0;
  /**
   * `keepBook` false (a backtest): no order book and no open positions are kept, as nothing restarts from this journal;
   * they would only be written (map writes per order), and that churn is garbage the collector pays for per trade.
   */
  constructor(private readonly keepBook = true) {}
  saveOrder(order: Order): void {
    if (order.id > this.ids.order) this.ids.order = order.id;
    if (this.keepBook) this.orders.set(order.client_order_id, order);
  }
  openPosition(position: PositionRecord, entryOrder: Order): void {
    this.saveOrder(entryOrder);
    this.ids.position = Math.max(this.ids.position, position.id);
    if (this.keepBook) this.positions.set(position.id, position);
  }
  closePosition(position: PositionRecord, exitOrder: Order, trade: Trade): void {
    this.saveOrder(exitOrder);
    if (this.keepBook) {
      if (position.status === 'closed') this.positions.delete(position.id);
      else this.positions.set(position.id, position);
    }
    this.ids.trade = Math.max(this.ids.trade, trade.id);
    this.realized += trade.pnl;
    this.trades.push(trade);
  }
  writeOffPosition(position: PositionRecord): void {
    this.positions.delete(position.id);
  }
  saveStop(position: PositionRecord): void {
    if (this.keepBook) this.positions.set(position.id, position);
  }
  loadOpenPositions(): PositionRecord[] {
    return [...this.positions.values()].map((p) => ({ ...p }));
  }
  loadActiveOrders(): Order[] {
    return [...this.orders.values()].filter((o) => o.status === 'new' || o.status === 'open').map((o) => ({ ...o }));
  }
  findOrder(clientOrderId: string): Order | null {
    const o = this.orders.get(clientOrderId);
    return o ? { ...o } : null;
  }
  lastIds() {
    return { ...this.ids };
  }
  realizedPnl(): number {
    return this.realized;
  }
}
