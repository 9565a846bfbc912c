/**
 * What binance checks before it accepts a spot order: mandatory parameters per type, number syntax, the symbol's
 * PRICE_FILTER / LOT_SIZE / NOTIONAL filters, and stops that would fire at once. Returns the order's terms or a
 * Rejection carrying binance's own code and message.
 */
import { type Units, divUnits, floorToStep, mulUnits, parseUnits } from './decimal';
import { type Rejection, filterFailure, illegal, isRejection, mandatory, notRequired, reject, WOULD_TAKE, WOULD_TRIGGER } from './errors';
import { type Market, ORDER_TYPES } from './market-data';

export type Params = Record<string, string>;
export type OrderType = (typeof ORDER_TYPES)[number];
export type Side = 'BUY' | 'SELL';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

export interface OrderTerms {
  side: Side;
  type: OrderType;
  timeInForce?: TimeInForce;
  quantity: Units;
  /** limit price; 0 for market-style orders */
  price: Units;
  /** trigger price; 0 when the order has none */
  stopPrice: Units;
  /** what a quoteOrderQty market order asked to spend; 0 otherwise */
  quoteOrderQty: Units;
  clientOrderId?: string;
}

const CLIENT_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const NEEDS: Record<OrderType, { price: boolean; stop: boolean; tif: boolean }> = {
  LIMIT: { price: true, stop: false, tif: true },
  LIMIT_MAKER: { price: true, stop: false, tif: false },
  MARKET: { price: false, stop: false, tif: false },
  STOP_LOSS: { price: false, stop: true, tif: false },
  STOP_LOSS_LIMIT: { price: true, stop: true, tif: true },
  TAKE_PROFIT: { price: false, stop: true, tif: false },
  TAKE_PROFIT_LIMIT: { price: true, stop: true, tif: true },
};

export const isStopType = (t: OrderType): boolean => NEEDS[t].stop;
export const isLimitType = (t: OrderType): boolean => NEEDS[t].price;

/** STOP_LOSS sells when the price falls to the stop (buys when it rises to it); TAKE_PROFIT the other way round */
export function stopReached(type: OrderType, side: Side, stop: Units, last: Units): boolean {
  const down = type.startsWith('STOP_LOSS') === (side === 'SELL');
  return down ? last <= stop : last >= stop;
}

/** a limit order crosses the market when a buy is at or above it, a sell at or below it */
export const limitCrosses = (side: Side, price: Units, last: Units): boolean => (side === 'BUY' ? last <= price : last >= price);

function decimal(p: Params, name: string): Units | undefined | Rejection {
  const raw = p[name];
  if (raw === undefined || raw === '') return undefined;
  const u = parseUnits(raw);
  if (u !== undefined) return u;
  return /^\d+\.\d+$/.test(raw) ? reject(-1111, 'Precision is over the maximum defined for this asset.') : illegal(name);
}

export function checkPriceFilter(m: Market, price: Units): Rejection | undefined {
  if (price < m.minPrice || price > m.maxPrice || (price - m.minPrice) % m.tickSize !== 0n) return filterFailure('PRICE_FILTER');
  return undefined;
}

export function checkLotSize(m: Market, qty: Units): Rejection | undefined {
  if (qty < m.minQty || qty > m.maxQty || (qty - m.minQty) % m.stepSize !== 0n) return filterFailure('LOT_SIZE');
  return undefined;
}

/** NOTIONAL: applyMinToMarket is on (a market order is valued at the last price), applyMaxToMarket is off */
export function checkNotional(m: Market, price: Units, qty: Units, isMarket: boolean): Rejection | undefined {
  const notional = mulUnits(price, qty);
  if (notional < m.minNotional || (!isMarket && notional > m.maxNotional)) return filterFailure('NOTIONAL');
  return undefined;
}

/**
 * PERCENT_PRICE_BY_SIDE: a limit price must stay within 0.2× to 5× of the average price (here: the last price) —
 * a take-profit far above the market is refused, whatever take_profit_pct allows
 */
export function checkPercentPrice(price: Units, last: Units): Rejection | undefined {
  if (price > last * 5n || price * 5n < last) return filterFailure('PERCENT_PRICE_BY_SIDE');
  return undefined;
}

/** the terms of a new order (POST /api/v3/order, one leg of an OCO), or why binance refuses it */
export function parseNewOrder(p: Params, m: Market, last: Units): OrderTerms | Rejection {
  const side = p.side;
  if (!side) return mandatory('side');
  if (side !== 'BUY' && side !== 'SELL') return reject(-1117, 'Invalid side.');
  const type = p.type as OrderType | undefined;
  if (!type) return mandatory('type');
  if (!ORDER_TYPES.includes(type)) return reject(-1116, 'Invalid orderType.');
  const need = NEEDS[type];

  const quantity = decimal(p, 'quantity');
  const price = decimal(p, 'price');
  const stopPrice = decimal(p, 'stopPrice');
  const quoteOrderQty = decimal(p, 'quoteOrderQty');
  for (const v of [quantity, price, stopPrice, quoteOrderQty]) if (isRejection(v)) return v;
  const q = quantity as Units | undefined,
    pr = price as Units | undefined;
  const sp = stopPrice as Units | undefined,
    qoq = quoteOrderQty as Units | undefined;

  if (p.trailingDelta !== undefined) return reject(-1013, 'Trailing stops are not supported by this emulator.');
  if (need.price && pr === undefined) return mandatory('price');
  if (!need.price && pr !== undefined) return notRequired('price');
  if (need.stop && sp === undefined) return mandatory('stopPrice');
  if (!need.stop && sp !== undefined) return notRequired('stopPrice');
  const tif = p.timeInForce;
  if (need.tif && !tif) return mandatory('timeInForce');
  if (!need.tif && tif) return reject(-1114, 'TimeInForce parameter sent when not required.');
  if (tif && tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') return reject(-1115, 'Invalid timeInForce.');
  if (type === 'MARKET') {
    if (q === undefined && qoq === undefined) {
      return reject(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    }
    if (q !== undefined && qoq !== undefined) return notRequired('quoteOrderQty');
  } else {
    if (q === undefined) return mandatory('quantity');
    if (qoq !== undefined) return notRequired('quoteOrderQty');
  }
  const clientOrderId = p.newClientOrderId;
  if (clientOrderId !== undefined && !CLIENT_ID_RE.test(clientOrderId)) {
    return reject(-1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
  }

  const limitPrice = pr ?? 0n;
  const trigger = sp ?? 0n;
  let qty = q ?? 0n;
  if (qoq !== undefined) {
    if (last === 0n) return reject(-1013, 'Market is closed.');
    // binance turns a quote amount into the largest quantity it buys or sells at the current price
    qty = floorToStep(divUnits(qoq, last), m.stepSize);
  }
  if (need.price) {
    const r = checkPriceFilter(m, limitPrice);
    if (r) return r;
  }
  if (need.stop) {
    const r = checkPriceFilter(m, trigger);
    if (r) return r;
  }
  const lot = checkLotSize(m, qty);
  if (lot) return lot;
  const valuedAt = need.price ? limitPrice : need.stop ? trigger : last;
  const notional = checkNotional(m, valuedAt, qty, !need.price);
  if (notional) return notional;
  if (need.price) {
    const r = checkPercentPrice(limitPrice, last);
    if (r) return r;
  }

  if (need.stop && stopReached(type, side, trigger, last)) return WOULD_TRIGGER();
  if (type === 'LIMIT_MAKER' && limitCrosses(side, limitPrice, last)) return WOULD_TAKE();

  return {
    side,
    type,
    quantity: qty,
    price: limitPrice,
    stopPrice: trigger,
    quoteOrderQty: qoq ?? 0n,
    ...(tif ? { timeInForce: tif as TimeInForce } : {}),
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
  };
}
