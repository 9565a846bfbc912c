/**
 * The JSON binance answers about orders, order lists, trades and the account, field for field as its spot REST API
 * documents them (and as ccxt's parseOrder / parseTrade / parseBalance read them). Numbers are 8-decimal strings.
 */
import { randomBytes } from 'node:crypto';
import { type Units, formatUnits as f } from './decimal';
import type { OrderType, Side, TimeInForce } from './order-rules';

export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

/** funds held for open orders; the two legs of an OCO share one */
export interface Lock {
  asset: string;
  amount: Units;
}

export interface Fill {
  price: Units;
  qty: Units;
  commission: Units;
  commissionAsset: string;
  tradeId: number;
}

export interface Order {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: Units;
  stopPrice: Units;
  origQty: Units;
  origQuoteOrderQty: Units;
  executedQty: Units;
  cummulativeQuoteQty: Units;
  status: OrderStatus;
  time: number;
  updateTime: number;
  /** -1 while a stop order waits for its trigger, like binance */
  workingTime: number;
  lock: Lock;
  fills: Fill[];
}

export interface Trade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: Units;
  qty: Units;
  quoteQty: Units;
  commission: Units;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface OrderList {
  symbol: string;
  orderListId: number;
  listClientOrderId: string;
  transactionTime: number;
  orderIds: number[];
  listStatusType: 'EXEC_STARTED' | 'ALL_DONE';
  listOrderStatus: 'EXECUTING' | 'ALL_DONE';
}

export type RespType = 'ACK' | 'RESULT' | 'FULL';

/** binance-style generated client ids: 22 letters and digits */
export const randomClientId = (): string =>
  randomBytes(24)
    .toString('base64')
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 22);

export const isStopOrder = (o: Order): boolean => o.stopPrice !== 0n;

const fillJson = (x: Fill) => ({
  price: f(x.price),
  qty: f(x.qty),
  commission: f(x.commission),
  commissionAsset: x.commissionAsset,
  tradeId: x.tradeId,
});

/** the answer to a new order: ACK, RESULT or FULL (FULL adds the fills this request made) */
export function newOrderReport(o: Order, respType: RespType, fills: readonly Fill[]): Record<string, unknown> {
  const ack = { symbol: o.symbol, orderId: o.orderId, orderListId: o.orderListId, clientOrderId: o.clientOrderId, transactTime: o.time };
  if (respType === 'ACK') return ack;
  const result: Record<string, unknown> = {
    ...ack,
    price: f(o.price),
    origQty: f(o.origQty),
    executedQty: f(o.executedQty),
    origQuoteOrderQty: f(o.origQuoteOrderQty),
    cummulativeQuoteQty: f(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    ...(isStopOrder(o) ? { stopPrice: f(o.stopPrice) } : {}),
    workingTime: o.workingTime,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
  if (respType === 'FULL') result.fills = fills.map(fillJson);
  return result;
}

/** GET /api/v3/order, openOrders, allOrders */
export function orderJson(o: Order): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.clientOrderId,
    price: f(o.price),
    origQty: f(o.origQty),
    executedQty: f(o.executedQty),
    cummulativeQuoteQty: f(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: f(o.stopPrice),
    icebergQty: '0.00000000',
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.workingTime !== -1,
    workingTime: o.workingTime,
    origQuoteOrderQty: f(o.origQuoteOrderQty),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/**
 * DELETE /api/v3/order: `clientOrderId` names this cancel request (newClientOrderId, or one binance makes up);
 * the order's own id comes back as `origClientOrderId`.
 */
export function cancelReport(o: Order, cancelId: string, now: number): Record<string, unknown> {
  return {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: cancelId,
    transactTime: now,
    price: f(o.price),
    origQty: f(o.origQty),
    executedQty: f(o.executedQty),
    origQuoteOrderQty: f(o.origQuoteOrderQty),
    cummulativeQuoteQty: f(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    ...(isStopOrder(o) ? { stopPrice: f(o.stopPrice) } : {}),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** an order list (OCO); `reports` are the legs' order reports where binance includes them */
export function listJson(l: OrderList, legs: readonly Order[], reports?: Record<string, unknown>[]): Record<string, unknown> {
  return {
    orderListId: l.orderListId,
    contingencyType: 'OCO',
    listStatusType: l.listStatusType,
    listOrderStatus: l.listOrderStatus,
    listClientOrderId: l.listClientOrderId,
    transactionTime: l.transactionTime,
    symbol: l.symbol,
    orders: legs.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
    ...(reports ? { orderReports: reports } : {}),
  };
}

export function tradeJson(t: Trade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: t.orderListId,
    price: f(t.price),
    qty: f(t.qty),
    quoteQty: f(t.quoteQty),
    commission: f(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}
