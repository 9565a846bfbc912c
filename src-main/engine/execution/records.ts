import type { ExitReason, Order } from '../../../src-shared/contract';
import type { OrderRequest } from '../ports/exchange.port';
import type { PositionRecord } from '../ports/journal.port';
import { roundToStep } from '../market/precision';

/**
 * An order on its way out, and the request that carries it to the exchange: one record (docs/benchmarks.md, engine,
 * fifth round: the spec, its request and a wrapper holding the request beside the order were three objects per order).
 * Every field is named in every spec (`orderSpec` builds them all): one shape, so the reads stay monomorphic on the
 * per-trade path. The client order id and symbol are set when the order is journaled (`newOrder`); after that the spec is
 * the exchange's (ExchangePort.placeOrder), never changed again.
 */
export interface OrderSpec extends OrderRequest {
  price: number | undefined;
  triggerPrice: number | undefined;
  ocoGroup: string | undefined;
  timeInForce: 'IOC' | undefined;
  type: Order['type'];
  purpose: Order['purpose'];
  positionId: number | null;
  exitReason: ExitReason | null;
  /** an entry's stop-loss and take-profit %, for the position it opens */
  sl: number | undefined;
  tp: number | undefined;
}

/** A spec with no price, trigger, SL/TP, OCO group or time in force: the caller sets those it needs. */
export function orderSpec(
  side: OrderSpec['side'],
  type: OrderSpec['type'],
  amount: number,
  purpose: OrderSpec['purpose'],
  positionId: number | null,
  exitReason: ExitReason | null,
): OrderSpec {
  return {
    clientOrderId: '',
    symbol: '',
    side,
    type,
    amount,
    price: undefined,
    triggerPrice: undefined,
    ocoGroup: undefined,
    timeInForce: undefined,
    purpose,
    positionId,
    exitReason,
    sl: undefined,
    tp: undefined,
  };
}

/** The order the executor journals for `spec` (number `id`, client order id `bd-<id>`); the spec gets its id and symbol. */
export function newOrder(id: number, spec: OrderSpec, symbol: string, now: number, configVersion: number): Order {
  const order: Order = {
    id,
    client_order_id: `bd-${id}`,
    exchange_order_id: null,
    symbol,
    side: spec.side,
    type: spec.type,
    purpose: spec.purpose,
    amount: spec.amount,
    price: spec.price ?? null,
    trigger_price: spec.triggerPrice ?? null,
    status: 'new',
    filled: 0,
    average_price: null,
    fee: 0,
    position_id: spec.positionId,
    exit_reason: spec.exitReason,
    created_at: now,
    updated_at: now,
    config_version: configVersion,
  };
  spec.clientOrderId = order.client_order_id;
  spec.symbol = symbol;
  return order;
}

/**
 * The position a filled entry opens: `amount` is what the account holds from the fill (less than filled when the fee
 * was taken in the coin bought); its stop and target `slPct` and `tpPct` % away from the fill price, on the market's tick.
 */
export function newPosition(
  id: number,
  entry: Order,
  amount: number,
  at: number,
  slPct: number,
  tpPct: number,
  priceStep: number,
): PositionRecord {
  const price = entry.average_price as number;
  return {
    id,
    symbol: entry.symbol,
    amount,
    entry_price: price,
    entry_fee: entry.fee,
    stop_loss_price: roundToStep(price * (1 - slPct / 100), priceStep, 'down'),
    take_profit_price: roundToStep(price * (1 + tpPct / 100), priceStep, 'up'),
    opened_at: at,
    config_version: entry.config_version,
    entry_client_order_id: entry.client_order_id,
    status: 'open',
    closed_at: null,
    stop_trailed: 0,
  };
}
