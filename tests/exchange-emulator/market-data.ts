/**
 * Markets, their filters and their price path: /api/v3/exchangeInfo, /api/v3/klines and /api/v3/ticker/24hr.
 * The price path is a list of (time, price) points on the wall clock; the test appends to it with setPrice,
 * and candles are cut from it the way binance cuts them (the current, still forming candle included).
 */
import { type Units, formatUnits, mulUnits, unitsOf } from './decimal';

export type SymbolStatus = 'TRADING' | 'BREAK' | 'HALT' | 'END_OF_DAY';

export interface SymbolSpec {
  base: string;
  quote: string;
  status?: SymbolStatus;
  tickSize: string;
  stepSize: string;
  minNotional: string;
  /** initial price: the path starts flat at this price `historyMs` before the emulator started */
  price: number | string;
  minPrice?: string;
  maxPrice?: string;
  minQty?: string;
  maxQty?: string;
  maxNotional?: string;
  /** open orders per symbol (binance: 200) and, of those, stop / take-profit orders (binance: 5) */
  maxNumOrders?: number;
  maxNumAlgoOrders?: number;
}

/** the spot markets a test gets unless it names its own: three trading, one halted (status BREAK) */
export const DEFAULT_SYMBOLS: readonly SymbolSpec[] = [
  { base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minNotional: '5', price: 60000 },
  { base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minNotional: '5', price: 3000 },
  { base: 'XRP', quote: 'USDT', tickSize: '0.0001', stepSize: '0.1', minNotional: '5', price: 0.5 },
  { base: 'XMR', quote: 'USDT', status: 'BREAK', tickSize: '0.01', stepSize: '0.001', minNotional: '5', price: 150 },
];

/** A market with its filters in units, as the order checks need them. */
export interface Market {
  id: string;
  base: string;
  quote: string;
  status: SymbolStatus;
  tickSize: Units;
  minPrice: Units;
  maxPrice: Units;
  stepSize: Units;
  minQty: Units;
  maxQty: Units;
  minNotional: Units;
  maxNotional: Units;
  maxNumOrders: number;
  maxNumAlgoOrders: number;
}

export const ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const;

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const INTERVALS: Record<string, number> = {
  '1s': 1_000,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '8h': 480 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
};
/** weekly candles open on Monday 00:00 UTC; the epoch was a Thursday */
const WEEK_OFFSET = 4 * DAY;

interface PricePoint {
  ts: number;
  price: Units;
}
interface TradePrint {
  ts: number;
  price: Units;
  qty: Units;
  takerBuy: boolean;
}

export function toMarket(spec: SymbolSpec): Market {
  const tick = unitsOf(spec.tickSize);
  const step = unitsOf(spec.stepSize);
  return {
    id: spec.base + spec.quote,
    base: spec.base,
    quote: spec.quote,
    status: spec.status ?? 'TRADING',
    tickSize: tick,
    minPrice: unitsOf(spec.minPrice ?? spec.tickSize),
    maxPrice: unitsOf(spec.maxPrice ?? '1000000'),
    stepSize: step,
    minQty: unitsOf(spec.minQty ?? spec.stepSize),
    maxQty: unitsOf(spec.maxQty ?? '9000000'),
    minNotional: unitsOf(spec.minNotional),
    maxNotional: unitsOf(spec.maxNotional ?? '9000000'),
    maxNumOrders: spec.maxNumOrders ?? 200,
    maxNumAlgoOrders: spec.maxNumAlgoOrders ?? 5,
  };
}

/** one entry of exchangeInfo.symbols, with the fields and filters ccxt's parseMarket reads */
export function symbolInfo(m: Market): Record<string, unknown> {
  const f = formatUnits;
  return {
    symbol: m.id,
    status: m.status,
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: f(m.minPrice), maxPrice: f(m.maxPrice), tickSize: f(m.tickSize) },
      { filterType: 'LOT_SIZE', minQty: f(m.minQty), maxQty: f(m.maxQty), stepSize: f(m.stepSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: f(m.maxQty), stepSize: '0.00000000' },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: f(m.minNotional),
        applyMinToMarket: true,
        maxNotional: f(m.maxNotional),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: m.maxNumOrders },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: m.maxNumAlgoOrders },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

export class MarketData {
  readonly markets = new Map<string, Market>();
  private readonly paths = new Map<string, PricePoint[]>();
  private readonly prints = new Map<string, TradePrint[]>();
  /** recorded candles per "ID interval": served as they are, gaps included (binance has gaps where it was down) */
  private readonly recorded = new Map<string, (readonly number[])[]>();
  private readonly now: () => number;

  constructor(opts: { symbols: readonly SymbolSpec[]; now: () => number; historyMs: number }) {
    this.now = opts.now;
    const start = opts.now() - opts.historyMs;
    for (const spec of opts.symbols) {
      const m = toMarket(spec);
      this.markets.set(m.id, m);
      this.paths.set(m.id, [{ ts: start, price: unitsOf(spec.price) }]);
      this.prints.set(m.id, []);
    }
  }

  market(id: string): Market | undefined {
    return this.markets.get(id);
  }

  /** the id binance uses ("BTCUSDT") for a ccxt-style symbol ("BTC/USDT") or an id */
  idOf(symbol: string): string {
    return symbol.replace('/', '');
  }

  price(id: string): Units {
    const path = this.path(id);
    return path[path.length - 1].price;
  }

  /** appends a point at `ts` (default now); points never go back in time */
  addPoint(id: string, price: Units, ts = this.now()): void {
    const path = this.path(id);
    const last = path[path.length - 1];
    path.push({ ts: Math.max(ts, last.ts), price });
  }

  /** replaces the whole path; the test seeds history this way (points sorted, none in the future) */
  setPath(id: string, points: ReadonlyArray<readonly [number, number | string]>): void {
    if (points.length === 0) throw new Error('a price path needs at least one point');
    const sorted = [...points].sort((a, b) => a[0] - b[0]);
    this.paths.set(
      id,
      sorted.map(([ts, p]) => ({ ts, price: unitsOf(p) })),
    );
  }

  /** serve these [openTime, open, high, low, close, volume] rows (sorted) for the interval instead of the price path */
  setCandles(id: string, interval: string, rows: ReadonlyArray<readonly number[]>): void {
    this.path(id);
    if (INTERVALS[interval] === undefined) throw new Error(`unknown interval ${interval}`);
    this.recorded.set(
      `${id} ${interval}`,
      [...rows].sort((a, b) => a[0] - b[0]),
    );
  }

  recordTrade(id: string, ts: number, price: Units, qty: Units, takerBuy: boolean): void {
    const prints = this.prints.get(id);
    // kept in time order even if the test moved the clock back (setClockOffset)
    prints?.splice(firstAfter(prints, ts), 0, { ts, price, qty, takerBuy });
  }

  private path(id: string): PricePoint[] {
    const p = this.paths.get(id);
    if (!p) throw new Error(`unknown symbol ${id}`);
    return p;
  }

  static intervalMs(interval: string): number | undefined {
    return INTERVALS[interval];
  }

  /** binance's kline rows; `undefined` for an unknown interval (-1120) */
  klines(q: { id: string; interval: string; startTime?: number; endTime?: number; limit: number }): unknown[][] | undefined {
    const step = INTERVALS[q.interval];
    if (step === undefined) return undefined;
    const recorded = this.recorded.get(`${q.id} ${q.interval}`);
    if (recorded) return recordedKlines(recorded, step, { ...q, now: this.now() });
    const offset = q.interval === '1w' ? WEEK_OFFSET : 0;
    const align = (t: number) => Math.floor((t - offset) / step) * step + offset;
    const now = this.now();
    const path = this.path(q.id);
    const first = align(path[0].ts);
    const lastOpen = align(Math.min(now, q.endTime ?? now));
    let from: number;
    if (q.startTime !== undefined) from = Math.max(first, align(q.startTime) + (align(q.startTime) < q.startTime ? step : 0));
    else from = Math.max(first, lastOpen - (q.limit - 1) * step);
    const rows: unknown[][] = [];
    for (let t = from; t <= lastOpen && rows.length < q.limit; t += step) rows.push(this.candle(q.id, t, step, now));
    return rows;
  }

  private candle(id: string, open: number, step: number, now: number): unknown[] {
    const close = open + step - 1;
    const upTo = Math.min(close, now);
    const { first, high, low, last } = this.span(id, open, upTo);
    const v = this.volume(id, open, upTo);
    const f = formatUnits;
    return [open, f(first), f(high), f(low), f(last), f(v.base), close, f(v.quote), v.count, f(v.buyBase), f(v.buyQuote), '0'];
  }

  /** the price at `from` (the last point at or before it) and the range and last price of the points up to `to` */
  private span(id: string, from: number, to: number): { first: Units; high: Units; low: Units; last: Units } {
    const path = this.path(id);
    const i = firstAfter(path, from);
    const first = path[Math.max(0, i - 1)].price;
    let high = first,
      low = first,
      last = first;
    for (let k = i; k < path.length && path[k].ts <= to; k++) {
      const p = path[k].price;
      if (p > high) high = p;
      if (p < low) low = p;
      last = p;
    }
    return { first, high, low, last };
  }

  /** the emulator's own fills from `from` to `to`, both included */
  private volume(id: string, from: number, to: number) {
    const prints = this.prints.get(id) ?? [];
    let base = 0n,
      quote = 0n,
      buyBase = 0n,
      buyQuote = 0n,
      count = 0;
    for (let k = firstAfter(prints, from - 1); k < prints.length && prints[k].ts <= to; k++) {
      const t = prints[k];
      const qv = mulUnits(t.price, t.qty);
      base += t.qty;
      quote += qv;
      count++;
      if (t.takerBuy) {
        buyBase += t.qty;
        buyQuote += qv;
      }
    }
    return { base, quote, buyBase, buyQuote, count };
  }

  /** /api/v3/ticker/24hr for one market: a rolling 24 h window ending now */
  ticker24hr(id: string): Record<string, unknown> {
    const now = this.now();
    const from = now - DAY;
    const { first: open, high, low } = this.span(id, from, now);
    const v = this.volume(id, from, now);
    const vol = v.base,
      quoteVol = v.quote,
      count = v.count;
    const last = this.price(id);
    const f = formatUnits;
    const change = last - open;
    const pct = open === 0n ? '0.000' : (Number((change * 100_000n) / open) / 1000).toFixed(3);
    return {
      symbol: id,
      priceChange: f(change),
      priceChangePercent: pct,
      weightedAvgPrice: vol === 0n ? f(last) : f((quoteVol * 100_000_000n) / vol),
      prevClosePrice: f(open),
      lastPrice: f(last),
      lastQty: '0.00000000',
      // no order book: the best bid and ask are the last price, with nothing resting at them
      bidPrice: f(last),
      bidQty: '0.00000000',
      askPrice: f(last),
      askQty: '0.00000000',
      openPrice: f(open),
      highPrice: f(high),
      lowPrice: f(low),
      volume: f(vol),
      quoteVolume: f(quoteVol),
      openTime: from,
      closeTime: now,
      firstId: count ? 1 : -1,
      lastId: count ? count : -1,
      count,
    };
  }
}

/**
 * Binance's paging over recorded candles: startTime → the first candles opening at or after it (jumping over a gap),
 * endTime → none opening after it, neither → the newest `limit`; only candles that have opened by now.
 */
function recordedKlines(
  rows: (readonly number[])[],
  step: number,
  q: { startTime?: number; endTime?: number; limit: number; now: number },
): unknown[][] {
  const until = Math.min(q.now, q.endTime ?? q.now);
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid][0] <= until) lo = mid + 1;
    else hi = mid;
  }
  const end = lo;
  let start: number;
  if (q.startTime !== undefined) {
    const since = q.startTime;
    let a = 0;
    let b = end;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (rows[mid][0] < since) a = mid + 1;
      else b = mid;
    }
    start = a;
  } else start = Math.max(0, end - q.limit);
  return rows.slice(start, Math.min(end, start + q.limit)).map((r) => {
    const s = (n: number) => String(n);
    return [r[0], s(r[1]), s(r[2]), s(r[3]), s(r[4]), s(r[5]), r[0] + step - 1, s(r[5] * r[4]), 1, '0', '0', '0'];
  });
}

/** index of the first entry later than `t` in a list sorted by time (binary search: paths grow by the second) */
function firstAfter(list: ReadonlyArray<{ ts: number }>, t: number): number {
  let lo = 0,
    hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
