/**
 * Reading and cancelling orders: GET/DELETE /api/v3/order (by orderId or origClientOrderId), openOrders, allOrders,
 * myTrades and the OCO order lists, with binance's paging and its answers for orders it does not know.
 */
import type { Book, Json } from './book';
import { isActive } from './book';
import { NO_SUCH_ORDER, type Rejection, UNKNOWN_ORDER, INVALID_SYMBOL, isRejection, reject } from './errors';
import type { Params } from './order-rules';
import { type Order, type OrderList, cancelReport, listJson, orderJson, randomClientId, tradeJson } from './reports';

/** an order by orderId or by origClientOrderId (the newest with that id, as ids may repeat once closed) */
export function find(book: Book, p: Params): Order | Rejection {
  const m = book.tradableMarket(p);
  if (isRejection(m)) return m;
  if (p.orderId !== undefined) {
    const id = Number(p.orderId);
    return book.orders.find((o) => o.symbol === m.id && o.orderId === id) ?? NO_SUCH_ORDER();
  }
  if (p.origClientOrderId !== undefined) {
    const hits = book.orders.filter((o) => o.symbol === m.id && o.clientOrderId === p.origClientOrderId);
    return hits[hits.length - 1] ?? NO_SUCH_ORDER();
  }
  return reject(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
}

/** GET /api/v3/order */
export function getOrder(book: Book, p: Params): Json | Rejection {
  const o = find(book, p);
  return isRejection(o) ? o : orderJson(o);
}

/** DELETE /api/v3/order; cancelling one leg of an OCO cancels the whole list, as on binance */
export function cancelOrder(book: Book, p: Params): Json | Rejection {
  const o = find(book, p);
  if (isRejection(o)) return o.code === -2013 ? UNKNOWN_ORDER() : o;
  if (!isActive(o)) return UNKNOWN_ORDER();
  book.cancelWithList(o);
  return cancelReport(o, p.newClientOrderId ?? randomClientId(), book.now());
}

/** DELETE /api/v3/openOrders: every open order of the symbol; binance answers -2011 when there is none */
export function cancelOpenOrders(book: Book, p: Params): Json | Rejection {
  const m = book.tradableMarket(p);
  if (isRejection(m)) return m;
  const open = book.orders.filter((o) => o.symbol === m.id && isActive(o));
  if (open.length === 0) return UNKNOWN_ORDER();
  const out: unknown[] = [];
  const doneLists = new Set<number>();
  const now = book.now();
  for (const o of open) {
    if (o.orderListId === -1) {
      book.finish(o, 'CANCELED');
      out.push(cancelReport(o, randomClientId(), now));
      continue;
    }
    if (doneLists.has(o.orderListId)) continue;
    doneLists.add(o.orderListId);
    book.cancelWithList(o);
    const list = book.lists.find((l) => l.orderListId === o.orderListId) as OrderList;
    const legs = book.legsOf(list);
    out.push(
      listJson(
        list,
        legs,
        legs.map((leg) => cancelReport(leg, randomClientId(), now)),
      ),
    );
  }
  return out;
}

/** GET /api/v3/openOrders (symbol optional) */
export function openOrders(book: Book, p: Params): Json | Rejection {
  if (p.symbol !== undefined && !book.market.market(p.symbol)) return INVALID_SYMBOL();
  return book.orders.filter((o) => isActive(o) && (p.symbol === undefined || o.symbol === p.symbol)).map(orderJson);
}

/** GET /api/v3/allOrders: from orderId on, or within startTime/endTime, else the newest `limit`; oldest first */
export function allOrders(book: Book, p: Params): Json | Rejection {
  const m = book.tradableMarket(p);
  if (isRejection(m)) return m;
  const rows = window(
    book.orders.filter((o) => o.symbol === m.id),
    p,
    (o) => o.orderId,
    (o) => o.time,
    'orderId',
  );
  return isRejection(rows) ? rows : rows.map(orderJson);
}

/** GET /api/v3/myTrades: like allOrders, with orderId meaning "this order's trades" and fromId the first trade id */
export function myTrades(book: Book, p: Params): Json | Rejection {
  const m = book.tradableMarket(p);
  if (isRejection(m)) return m;
  let mine = book.trades.filter((t) => t.symbol === m.id);
  if (p.orderId !== undefined) mine = mine.filter((t) => t.orderId === Number(p.orderId));
  const rows = window(
    mine,
    p,
    (t) => t.id,
    (t) => t.time,
    'fromId',
  );
  return isRejection(rows) ? rows : rows.map(tradeJson);
}

/** GET /api/v3/orderList by orderListId or origClientOrderId (the list's client id) */
export function getOrderList(book: Book, p: Params): Json | Rejection {
  const list = findList(book, p);
  return isRejection(list) ? list : listJson(list, book.legsOf(list));
}

/** DELETE /api/v3/orderList */
export function cancelOrderList(book: Book, p: Params): Json | Rejection {
  const m = book.tradableMarket(p);
  if (isRejection(m)) return m;
  const list = findList(book, { ...p, origClientOrderId: p.listClientOrderId ?? p.origClientOrderId ?? '' });
  if (isRejection(list) || list.symbol !== m.id) return reject(-2011, 'Order list does not exist.');
  if (list.listStatusType === 'ALL_DONE') return reject(-2011, 'Order list does not exist.');
  const legs = book.legsOf(list);
  book.cancelWithList(legs[0]);
  const now = book.now();
  return listJson(
    list,
    legs,
    legs.map((o) => cancelReport(o, randomClientId(), now)),
  );
}

/** GET /api/v3/openOrderList */
export function openOrderLists(book: Book): Json {
  return book.lists.filter((l) => l.listStatusType !== 'ALL_DONE').map((l) => listJson(l, book.legsOf(l)));
}

function findList(book: Book, p: Params): OrderList | Rejection {
  const byId = p.orderListId !== undefined ? book.lists.find((l) => l.orderListId === Number(p.orderListId)) : undefined;
  const byClient = p.origClientOrderId ? book.lists.find((l) => l.listClientOrderId === p.origClientOrderId) : undefined;
  if (p.orderListId === undefined && !p.origClientOrderId) {
    return reject(-1102, "Param 'origClientOrderId' or 'orderListId' must be sent, but both were empty/null!");
  }
  return byId ?? byClient ?? reject(-2011, 'Order list does not exist.');
}

/** binance's paging for allOrders and myTrades: an id to start from, or a time window, else the newest `limit` rows */
function window<T>(rows: T[], p: Params, idOf: (x: T) => number, timeOf: (x: T) => number, idParam: string): T[] | Rejection {
  const limit = p.limit === undefined ? 500 : Number(p.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reject(-1130, "Data sent for parameter 'limit' is not valid.");
  const start = p.startTime === undefined ? undefined : Number(p.startTime);
  const end = p.endTime === undefined ? undefined : Number(p.endTime);
  if (start !== undefined && end !== undefined && end - start > 24 * 3_600_000) {
    return reject(-1127, 'More than 24 hours between startTime and endTime.');
  }
  const sorted = [...rows].sort((a, b) => idOf(a) - idOf(b));
  if (p[idParam] !== undefined) return sorted.filter((x) => idOf(x) >= Number(p[idParam])).slice(0, limit);
  if (start !== undefined || end !== undefined) {
    return sorted.filter((x) => (start === undefined || timeOf(x) >= start) && (end === undefined || timeOf(x) <= end)).slice(0, limit);
  }
  return sorted.slice(-limit);
}
