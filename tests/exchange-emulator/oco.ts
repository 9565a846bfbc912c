/**
 * OCO order lists. ccxt 4.5.84 has no unified OCO call for binance spot: an adapter calls the implicit methods
 * `privatePostOrderListOco` (POST /api/v3/orderList/oco, above/below legs) or the deprecated `privatePostOrderOco`
 * (POST /api/v3/order/oco, price/stopPrice/stopLimitPrice). Both land here; the legacy form is translated.
 */
import { maxUnits } from './decimal';
import { BAD_OCO_PRICES, INSUFFICIENT, MARKET_CLOSED, type Rejection, isRejection, mandatory, reject } from './errors';
import type { Book, Json } from './book';
import { type OrderTerms, type Params, parseNewOrder } from './order-rules';
import { type OrderList, listJson, newOrderReport, randomClientId } from './reports';

const TAKE = ['LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];
const STOP = ['STOP_LOSS', 'STOP_LOSS_LIMIT'];

/** POST /api/v3/order/oco parameters, rewritten as the above/below legs of POST /api/v3/orderList/oco */
function fromLegacy(p: Params): Params | Rejection {
  if (!p.price) return mandatory('price');
  if (!p.stopPrice) return mandatory('stopPrice');
  const limitLeg = { Type: 'LIMIT_MAKER', Price: p.price, ClientOrderId: p.limitClientOrderId };
  const stopLeg = p.stopLimitPrice
    ? {
        Type: 'STOP_LOSS_LIMIT',
        Price: p.stopLimitPrice,
        StopPrice: p.stopPrice,
        TimeInForce: p.stopLimitTimeInForce,
        ClientOrderId: p.stopClientOrderId,
      }
    : { Type: 'STOP_LOSS', StopPrice: p.stopPrice, ClientOrderId: p.stopClientOrderId };
  const [above, below] = p.side === 'BUY' ? [stopLeg, limitLeg] : [limitLeg, stopLeg];
  const out: Params = { symbol: p.symbol, side: p.side, quantity: p.quantity };
  if (p.listClientOrderId) out.listClientOrderId = p.listClientOrderId;
  if (p.newOrderRespType) out.newOrderRespType = p.newOrderRespType;
  for (const [prefix, leg] of [
    ['above', above],
    ['below', below],
  ] as const) {
    for (const [k, v] of Object.entries(leg)) if (v !== undefined) out[prefix + k] = v;
  }
  return out;
}

function legParams(p: Params, prefix: 'above' | 'below'): Params {
  const leg: Params = { side: p.side, type: p[`${prefix}Type`] ?? '', quantity: p.quantity ?? '' };
  const copy: Array<[string, string]> = [
    ['Price', 'price'],
    ['StopPrice', 'stopPrice'],
    ['TimeInForce', 'timeInForce'],
    ['ClientOrderId', 'newClientOrderId'],
  ];
  for (const [from, to] of copy) {
    const v = p[prefix + from];
    if (v !== undefined && v !== '') leg[to] = v;
  }
  return leg;
}

export function placeOco(book: Book, raw: Params, legacy: boolean): Json | Rejection {
  const p = legacy ? fromLegacy(raw) : raw;
  if (isRejection(p)) return p;
  const m = book.tradableMarket(p);
  if (isRejection(m)) return m;
  for (const name of ['side', 'quantity', 'aboveType', 'belowType']) if (!p[name]) return mandatory(name);
  // a sell OCO takes profit above the market and stops out below it; a buy OCO the other way round
  const [aboveOk, belowOk] = p.side === 'SELL' ? [TAKE, STOP] : [STOP, TAKE];
  if (!aboveOk.includes(p.aboveType) || !belowOk.includes(p.belowType)) return reject(-1128, 'Combination of optional parameters invalid.');

  const last = book.market.price(m.id);
  const legs: OrderTerms[] = [];
  for (const prefix of ['below', 'above'] as const) {
    const t = parseNewOrder(legParams(p, prefix), m, last);
    if (isRejection(t)) return t.code === -2010 ? BAD_OCO_PRICES() : t;
    legs.push(t);
  }
  if (m.status !== 'TRADING') return MARKET_CLOSED();
  const counts = book.checkOrderCounts(m, legs);
  if (counts) return counts;
  for (const t of legs) {
    const dup = book.checkClientId(m.id, t.clientOrderId);
    if (dup) return dup;
  }
  const [a, b] = legs.map((t) => book.fundsNeeded(m, t, last));
  const need = { asset: a.asset, amount: maxUnits(a.amount, b.amount) };
  if (book.balance(need.asset).free < need.amount) return INSUFFICIENT();

  const lock = book.holdFunds(need.asset, need.amount);
  const list: OrderList = {
    symbol: m.id,
    orderListId: book.newListId(),
    listClientOrderId: p.listClientOrderId || randomClientId(),
    transactionTime: book.now(),
    orderIds: [],
    listStatusType: 'EXEC_STARTED',
    listOrderStatus: 'EXECUTING',
  };
  const orders = legs.map((t) => book.open(m, t, lock, list.orderListId));
  list.orderIds = orders.map((o) => o.orderId);
  book.lists.push(list);
  return listJson(
    list,
    orders,
    orders.map((o) => newOrderReport(o, 'RESULT', [])),
  );
}
