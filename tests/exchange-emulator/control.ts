/**
 * What a test holds besides the URL: move prices (resting orders fill), seed price history, set balances, fill an
 * order partly, arm faults, read the request log, inspect orders and trades in plain numbers, rotate keys, skew the
 * server clock. Symbols are accepted as ccxt writes them ("BTC/USDT") or as binance does ("BTCUSDT").
 */
import type { Book } from './book';
import { isActive } from './book';
import { type Units, toNumber, unitsOf } from './decimal';
import type { FaultSpec, Faults } from './faults';
import type { MarketData, SymbolStatus } from './market-data';
import type { Order, OrderStatus } from './reports';
import type { RequestFilter, RequestLog, RequestRecord } from './request-log';
import type { WeightMeter } from './weights';

export interface OrderView {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  side: string;
  type: string;
  status: OrderStatus;
  price: number;
  stopPrice: number;
  origQty: number;
  executedQty: number;
  cummulativeQuoteQty: number;
  time: number;
  updateTime: number;
}

export interface TradeView {
  symbol: string;
  id: number;
  orderId: number;
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  isBuyer: boolean;
  isMaker: boolean;
  time: number;
}

export interface MarketView {
  symbol: string;
  id: string;
  status: SymbolStatus;
  tickSize: number;
  stepSize: number;
  minNotional: number;
}

export interface EmulatorControl {
  /** the markets it lists, e.g. to move every price on a tick */
  markets(): MarketView[];
  /** moves the last price and runs resting orders against it; `fillRatio` < 1 fills crossed limits only partly */
  setPrice(symbol: string, price: number | string, opts?: { fillRatio?: number }): void;
  price(symbol: string): number;
  /** replaces the price path candles are cut from: [epoch ms, price] points, none in the future */
  setPricePath(symbol: string, points: ReadonlyArray<readonly [number, number | string]>): void;
  /** serve these recorded [openTime, open, high, low, close, volume] candles for one interval (gaps kept), e.g. a fixture file */
  setCandles(symbol: string, interval: string, rows: ReadonlyArray<readonly number[]>): void;
  /** share of a resting limit order's quantity each crossing fills from now on (1 = all, the default) */
  setFillRatio(symbol: string, ratio: number): void;
  /**
   * the next `times` (default 1) market orders of the symbol fill only `share` of their quantity (on the step, at least
   * one step) and the rest expires: binance's EXPIRED with executedQty < origQty when the book runs out
   */
  partialMarketFill(symbol: string, share: number, times?: number): void;
  /** fills an open order now at its limit price (or the last price): all that remains, or `quantity` of it */
  fillOrder(q: { symbol: string; orderId?: number; clientOrderId?: string; quantity?: number | string }): OrderView;
  setMarketStatus(symbol: string, status: SymbolStatus): void;
  setBalance(asset: string, free: number | string): void;
  balances(): Record<string, { free: number; locked: number }>;
  orders(symbol?: string): OrderView[];
  order(q: { symbol: string; orderId?: number; clientOrderId?: string }): OrderView | undefined;
  trades(symbol?: string): TradeView[];
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  /** every request so far (oldest first), with its parameters minus signature; status 0 = no answer was sent */
  requests(filter?: RequestFilter): RequestRecord[];
  clearRequests(): void;
  /**
   * resolves with the `count`-th matching request (default the first; those already logged count) when it arrives,
   * before it is answered; rejects after `timeoutMs` (default 5 s)
   */
  waitForRequest(filter: RequestFilter, opts?: { count?: number; timeoutMs?: number }): Promise<RequestRecord>;
  /** the key and secret the emulator accepts from now on (the old ones answer -2015 / -1022) */
  setCredentials(c: { apiKey: string; secret: string }): void;
  /** skews the server clock (serverTime, timestamp checks, candles) by `ms` */
  setClockOffset(ms: number): void;
  /** binance's request-weight limit per minute (undefined = none): over it, 429 with Retry-After to the minute's end */
  setWeightLimit(limit: number | undefined): void;
  /** the weight counted in the current minute, as `x-mbx-used-weight-1m` reports it */
  usedWeight(): number;
  /** what /sapi/v1/system/status (ccxt fetchStatus) reports: maintenance or normal; trading itself is unaffected */
  setMaintenance(on: boolean): void;
}

const orderView = (o: Order): OrderView => ({
  symbol: o.symbol,
  orderId: o.orderId,
  orderListId: o.orderListId,
  clientOrderId: o.clientOrderId,
  side: o.side,
  type: o.type,
  status: o.status,
  price: toNumber(o.price),
  stopPrice: toNumber(o.stopPrice),
  origQty: toNumber(o.origQty),
  executedQty: toNumber(o.executedQty),
  cummulativeQuoteQty: toNumber(o.cummulativeQuoteQty),
  time: o.time,
  updateTime: o.updateTime,
});

export function createControl(deps: {
  book: Book;
  market: MarketData;
  faults: Faults;
  log: RequestLog;
  creds: { apiKey: string; secret: string };
  clock: { offsetMs: number };
  meter: WeightMeter;
  status: { maintenance: boolean };
}): EmulatorControl {
  const { book, market, faults, log, creds, clock, meter, status } = deps;
  const idOf = (symbol: string): string => {
    const id = market.idOf(symbol);
    if (!market.market(id)) throw new Error(`emulator has no market ${symbol}`);
    return id;
  };
  const findOrder = (q: { symbol: string; orderId?: number; clientOrderId?: string }): Order | undefined => {
    const id = idOf(q.symbol);
    const hits = book.orders.filter(
      (o) =>
        o.symbol === id &&
        (q.orderId === undefined || o.orderId === q.orderId) &&
        (q.clientOrderId === undefined || o.clientOrderId === q.clientOrderId),
    );
    return hits[hits.length - 1];
  };
  return {
    markets: () =>
      [...market.markets.values()].map((m) => ({
        symbol: `${m.base}/${m.quote}`,
        id: m.id,
        status: m.status,
        tickSize: toNumber(m.tickSize),
        stepSize: toNumber(m.stepSize),
        minNotional: toNumber(m.minNotional),
      })),
    setPrice(symbol, price, opts) {
      const id = idOf(symbol);
      if (opts?.fillRatio !== undefined && !(opts.fillRatio > 0 && opts.fillRatio <= 1)) throw new Error('fill ratio must be in (0, 1]');
      market.addPoint(id, unitsOf(price));
      book.onPrice(id, opts?.fillRatio);
    },
    price: (symbol) => toNumber(market.price(idOf(symbol))),
    setPricePath(symbol, points) {
      if (points.some(([ts]) => ts > Date.now() + clock.offsetMs)) throw new Error('price path points must not be in the future');
      market.setPath(idOf(symbol), points);
    },
    setCandles: (symbol, interval, rows) => market.setCandles(idOf(symbol), interval, rows),
    setFillRatio(symbol, ratio) {
      if (!(ratio > 0 && ratio <= 1)) throw new Error('fill ratio must be in (0, 1]');
      book.fillRatio.set(idOf(symbol), ratio);
    },
    partialMarketFill(symbol, share, times = 1) {
      if (!(share > 0 && share < 1)) throw new Error('the share a market order fills must be in (0, 1)');
      book.thinMarket.set(idOf(symbol), { share, times });
    },
    fillOrder(q) {
      const o = findOrder(q);
      if (!o || !isActive(o)) throw new Error(`no open order ${JSON.stringify(q)}`);
      const remaining = o.origQty - o.executedQty;
      const qty: Units = q.quantity === undefined ? remaining : unitsOf(q.quantity);
      if (qty <= 0n || qty > remaining) throw new Error(`cannot fill ${q.quantity} of ${toNumber(remaining)} remaining`);
      if (o.workingTime === -1) o.workingTime = book.now();
      book.fill(o, qty, o.price !== 0n ? o.price : market.price(o.symbol), o.price !== 0n);
      return orderView(o);
    },
    setMarketStatus(symbol, status) {
      const m = market.market(idOf(symbol));
      if (m) m.status = status;
    },
    setBalance(asset, free) {
      book.balance(asset).free = unitsOf(free);
    },
    balances() {
      const out: Record<string, { free: number; locked: number }> = {};
      for (const [asset, b] of book.balances) out[asset] = { free: toNumber(b.free), locked: toNumber(b.locked) };
      return out;
    },
    orders: (symbol) => book.orders.filter((o) => symbol === undefined || o.symbol === idOf(symbol)).map(orderView),
    order: (q) => {
      const o = findOrder(q);
      return o && orderView(o);
    },
    trades: (symbol) =>
      book.trades
        .filter((t) => symbol === undefined || t.symbol === idOf(symbol))
        .map((t) => ({
          symbol: t.symbol,
          id: t.id,
          orderId: t.orderId,
          price: toNumber(t.price),
          qty: toNumber(t.qty),
          quoteQty: toNumber(t.quoteQty),
          commission: toNumber(t.commission),
          commissionAsset: t.commissionAsset,
          isBuyer: t.isBuyer,
          isMaker: t.isMaker,
          time: t.time,
        })),
    fault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    requests: (filter) => log.list(filter),
    clearRequests: () => log.clear(),
    waitForRequest: (filter, opts) => log.waitFor(filter, opts),
    setCredentials(c) {
      creds.apiKey = c.apiKey;
      creds.secret = c.secret;
    },
    setClockOffset(ms) {
      clock.offsetMs = ms;
    },
    setWeightLimit(limit) {
      meter.limit = limit;
    },
    usedWeight: () => meter.used(),
    setMaintenance(on) {
      status.maintenance = on;
    },
  };
}
