/**
 * Binance's request-weight limit, when a test turns it on: each endpoint costs its documented weight, counted per
 * clock minute of the server; a request that would pass the limit is refused with 429, -1003 and a Retry-After until
 * the minute ends. Every answer carries the minute's weight in `x-mbx-used-weight-1m`, as binance's do.
 */
import type { Params } from './order-rules';

const MINUTE = 60_000;

/** weights from binance's spot REST docs; a function where the weight depends on whether a symbol was given */
const WEIGHTS: Record<string, number | ((p: Params) => number)> = {
  'GET /api/v3/exchangeInfo': 20,
  'GET /api/v3/klines': 2,
  'GET /api/v3/uiKlines': 2,
  'GET /api/v3/ticker/24hr': (p) => (p.symbol ? 2 : 80),
  'GET /api/v3/ticker/price': (p) => (p.symbol ? 2 : 4),
  'GET /api/v3/account': 20,
  'GET /api/v3/order': 4,
  'GET /api/v3/openOrders': (p) => (p.symbol ? 6 : 80),
  'GET /api/v3/allOrders': 20,
  'GET /api/v3/myTrades': 20,
  'GET /api/v3/orderList': 4,
  'GET /api/v3/openOrderList': 6,
};

export class WeightMeter {
  /** weight allowed per minute; undefined = unlimited (the default) */
  limit: number | undefined;
  private minute = -1;
  private usedWeight = 0;

  constructor(
    private readonly now: () => number,
    limit?: number,
  ) {
    this.limit = limit;
  }

  /** the weight counted in the current minute */
  used(): number {
    this.roll();
    return this.usedWeight;
  }

  /** counts a request; `retryAfterS` when it is over the limit (then it is not counted) */
  charge(route: string, p: Params): { retryAfterS?: number } {
    this.roll();
    const w = WEIGHTS[route];
    const weight = typeof w === 'function' ? w(p) : (w ?? 1);
    if (this.limit !== undefined && this.usedWeight + weight > this.limit) {
      return { retryAfterS: Math.max(1, Math.ceil(((this.minute + 1) * MINUTE - this.now()) / 1000)) };
    }
    this.usedWeight += weight;
    return {};
  }

  private roll(): void {
    const m = Math.floor(this.now() / MINUTE);
    if (m !== this.minute) {
      this.minute = m;
      this.usedWeight = 0;
    }
  }
}
