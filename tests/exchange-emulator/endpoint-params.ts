/**
 * The parameters binance reads on each signed spot endpoint (its REST docs). Binance refuses a request carrying any
 * other: -1104 "Not all sent parameters were read" (ccxt: BadRequest) — so a stray ccxt `params` key the adapter
 * passes through (reduceOnly on spot, a leftover triggerPrice…) fails here as it would on the exchange.
 */
import { type Rejection, reject } from './errors';
import type { Params } from './order-rules';

const SIGNING = ['timestamp', 'recvWindow', 'signature'];

const NEW_ORDER = [
  'symbol',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'strategyId',
  'strategyType',
  'stopPrice',
  'trailingDelta',
  'icebergQty',
  'newOrderRespType',
  'selfTradePreventionMode',
  'pegPriceType',
  'pegOffsetValue',
  'pegOffsetType',
];

const ocoLeg = (side: 'above' | 'below') =>
  [
    'Type',
    'ClientOrderId',
    'IcebergQty',
    'Price',
    'StopPrice',
    'TrailingDelta',
    'TimeInForce',
    'StrategyId',
    'StrategyType',
    'PegPriceType',
    'PegOffsetType',
    'PegOffsetValue',
  ].map((k) => side + k);

export const ACCEPTS: Record<string, readonly string[]> = {
  'GET /api/v3/account': ['omitZeroBalances'],
  'POST /api/v3/order': NEW_ORDER,
  'POST /api/v3/order/test': [...NEW_ORDER, 'computeCommissionRates'],
  'GET /api/v3/order': ['symbol', 'orderId', 'origClientOrderId'],
  'DELETE /api/v3/order': ['symbol', 'orderId', 'origClientOrderId', 'newClientOrderId', 'cancelRestrictions'],
  'POST /api/v3/order/cancelReplace': [
    ...NEW_ORDER,
    'cancelReplaceMode',
    'cancelNewClientOrderId',
    'cancelOrigClientOrderId',
    'cancelOrderId',
    'cancelRestrictions',
    'orderRateLimitExceededMode',
  ],
  'GET /api/v3/openOrders': ['symbol'],
  'DELETE /api/v3/openOrders': ['symbol'],
  'GET /api/v3/allOrders': ['symbol', 'orderId', 'startTime', 'endTime', 'limit'],
  'GET /api/v3/myTrades': ['symbol', 'orderId', 'startTime', 'endTime', 'fromId', 'limit'],
  'POST /api/v3/orderList/oco': [
    'symbol',
    'listClientOrderId',
    'side',
    'quantity',
    ...ocoLeg('above'),
    ...ocoLeg('below'),
    'newOrderRespType',
    'selfTradePreventionMode',
  ],
  'POST /api/v3/order/oco': [
    'symbol',
    'listClientOrderId',
    'side',
    'quantity',
    'limitClientOrderId',
    'limitStrategyId',
    'limitStrategyType',
    'price',
    'limitIcebergQty',
    'trailingDelta',
    'stopClientOrderId',
    'stopPrice',
    'stopStrategyId',
    'stopStrategyType',
    'stopLimitPrice',
    'stopIcebergQty',
    'stopLimitTimeInForce',
    'newOrderRespType',
    'selfTradePreventionMode',
  ],
  'GET /api/v3/orderList': ['orderListId', 'origClientOrderId'],
  'DELETE /api/v3/orderList': ['symbol', 'orderListId', 'listClientOrderId', 'newClientOrderId'],
  'GET /api/v3/openOrderList': [],
  'GET /sapi/v1/asset/tradeFee': ['symbol'],
};

/** -1104 when the request carries a parameter the endpoint does not read; undefined for endpoints not listed */
export function unreadParams(route: string, p: Params): Rejection | undefined {
  const accepts = ACCEPTS[route];
  if (!accepts) return undefined;
  const sent = Object.keys(p).filter((k) => k !== 'signature');
  const read = sent.filter((k) => accepts.includes(k) || SIGNING.includes(k));
  if (read.length === sent.length) return undefined;
  return reject(-1104, `Not all sent parameters were read; read '${read.length}' parameter(s) but was sent '${sent.length}'.`);
}
