import type { ExitReason, Order } from '../../../src-shared/contract';
import type { OrderRequest } from '../ports/exchange.port';
import type { PositionRecord } from '../ports/journal.port';
import { roundToStep } from '../market/precision';

/**
 * What the executor is asked to send. Every field is named in every spec (`orderSpec` builds them all): one shape,
 * so `newOrder`'s reads stay monomorphic on the per-trade path (docs/benchmarks.md, engine).
 */
export interface OrderSpec {
  side: 'buy' | 'sell';
  type: Order['type'];
  amount: number;
  price: number | undefined;
  trigger: number | undefined;
  purpose: Order['purpose'];
  positionId: number | null;
  exitReason: ExitReason | null;
  /** an entry's stop-loss and take-profit %, for the position it opens */
  sl: number | undefined;
  tp: number | undefined;
  oco: string | undefined;
  tif: 'IOC' | undefined;
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
    side,
    type,
    amount,
    price: undefined,
    trigger: undefined,
    purpose,
    positionId,
    exitReason,
    sl: undefined,
    tp: undefined,
    oco: undefined,
    tif: undefined,
  };
}

/** an order durable in the journal with its clientOrderId, and the request that will carry it */
export interface Journaled {
  order: Order;
  request: OrderRequest;
}

/** The order the executor journals for `spec` (number `id`, client order id `bd-<id>`), and its request. */
export function newOrder(id: number, spec: OrderSpec, symbol: string, now: number, configVersion: number): Journaled {
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
    trigger_price: spec.trigger ?? null,
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
