/**
 * The emulator's book must never make or lose money: random sequences of orders, OCOs, cancels, partial fills and
 * price moves, and after each step balances stay non-negative, `locked` equals what open orders hold, and every
 * asset's total equals the start plus what the trades moved (commission included); an OCO list is ALL_DONE exactly
 * when none of its legs can still trade.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Book, isActive } from './book';
import { type Units, unitsOf } from './decimal';
import { isRejection } from './errors';
import { MarketData } from './market-data';
import { placeOco } from './oco';
import { cancelOpenOrders, cancelOrder } from './queries';
import type { Params } from './order-rules';

const PRICES = ['2700', '2800', '2900', '2950', '3000', '3050', '3100', '3200', '3300'];
const QTYS = ['0.01', '0.1', '0.5', '1', '1.5'];

const op = fc.oneof(
  fc.record({
    kind: fc.constant('limit'),
    side: fc.constantFrom('BUY', 'SELL'),
    price: fc.constantFrom(...PRICES),
    qty: fc.constantFrom(...QTYS),
  }),
  fc.record({ kind: fc.constant('market'), side: fc.constantFrom('BUY', 'SELL'), qty: fc.constantFrom(...QTYS) }),
  fc.record({
    kind: fc.constant('stop'),
    side: fc.constantFrom('BUY', 'SELL'),
    price: fc.constantFrom(...PRICES),
    qty: fc.constantFrom(...QTYS),
    limit: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('oco'), side: fc.constantFrom('BUY', 'SELL'), qty: fc.constantFrom(...QTYS) }),
  fc.record({ kind: fc.constant('price'), price: fc.constantFrom(...PRICES), ratio: fc.constantFrom(1, 0.5, 0.3) }),
  fc.record({ kind: fc.constant('cancel'), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cancelAll') }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(book: Book, md: MarketData, o: Op): void {
  const base: Params = { symbol: 'ETHUSDT' };
  const last = md.price('ETHUSDT');
  switch (o.kind) {
    case 'limit':
      book.placeOrder({ ...base, side: o.side, type: 'LIMIT', timeInForce: 'GTC', quantity: o.qty, price: o.price });
      return;
    case 'market':
      book.placeOrder({ ...base, side: o.side, type: 'MARKET', quantity: o.qty });
      return;
    case 'stop': {
      const p: Params = { ...base, side: o.side, type: o.limit ? 'STOP_LOSS_LIMIT' : 'STOP_LOSS', quantity: o.qty, stopPrice: o.price };
      if (o.limit) Object.assign(p, { price: o.price, timeInForce: 'GTC' });
      book.placeOrder(p);
      return;
    }
    case 'oco': {
      const up = (last + unitsOf(100)) / 100_000_000n,
        down = (last - unitsOf(100)) / 100_000_000n;
      const take = { Type: 'LIMIT_MAKER', Price: String(o.side === 'SELL' ? up : down) };
      const stop = { Type: 'STOP_LOSS', StopPrice: String(o.side === 'SELL' ? down : up) };
      const [above, below] = o.side === 'SELL' ? [take, stop] : [stop, take];
      const p: Params = { ...base, side: o.side, quantity: o.qty };
      for (const [k, v] of Object.entries(above)) p[`above${k}`] = v;
      for (const [k, v] of Object.entries(below)) p[`below${k}`] = v;
      placeOco(book, p, false);
      return;
    }
    case 'price':
      md.addPoint('ETHUSDT', unitsOf(o.price));
      book.onPrice('ETHUSDT', o.ratio);
      return;
    case 'cancel': {
      const open = book.orders.filter((x) => x.status === 'NEW' || x.status === 'PARTIALLY_FILLED');
      if (open.length) cancelOrder(book, { ...base, orderId: String(open[o.pick % open.length].orderId) });
      return;
    }
    case 'cancelAll':
      cancelOpenOrders(book, base);
  }
}

function checkInvariants(book: Book, start: Map<string, Units>): void {
  const held = new Map<string, Units>();
  const seen = new Set<object>();
  for (const o of book.orders) {
    if ((o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') || seen.has(o.lock)) continue;
    seen.add(o.lock);
    held.set(o.lock.asset, (held.get(o.lock.asset) ?? 0n) + o.lock.amount);
  }
  const moved = new Map<string, Units>();
  const add = (asset: string, u: Units) => moved.set(asset, (moved.get(asset) ?? 0n) + u);
  for (const t of book.trades) {
    if (t.isBuyer) {
      add('ETH', t.qty - t.commission);
      add('USDT', -t.quoteQty);
    } else {
      add('ETH', -t.qty);
      add('USDT', t.quoteQty - t.commission);
    }
  }
  for (const list of book.lists) {
    expect(list.listStatusType === 'ALL_DONE', 'a list is done exactly when no leg can trade').toBe(!book.legsOf(list).some(isActive));
  }
  for (const [asset, b] of book.balances) {
    expect(b.free, `${asset} free`).toBeGreaterThanOrEqual(0n);
    expect(b.locked, `${asset} locked`).toBe(held.get(asset) ?? 0n);
    expect(b.free + b.locked, `${asset} total`).toBe((start.get(asset) ?? 0n) + (moved.get(asset) ?? 0n));
  }
}

describe('emulator book', () => {
  it('conserves every asset through random orders, OCOs, partial fills, cancels and price moves', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const md = new MarketData({
          symbols: [{ base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minNotional: '5', price: 3000 }],
          now: Date.now,
          historyMs: 60_000,
        });
        const book = new Book({ market: md, now: Date.now, commission: unitsOf('0.001') });
        book.balance('USDT').free = unitsOf(10_000);
        book.balance('ETH').free = unitsOf(3);
        const start = new Map([...book.balances].map(([a, b]) => [a, b.free] as const));
        for (const o of ops) {
          apply(book, md, o);
          checkInvariants(book, start);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers a refused order with a rejection, not a throw', () => {
    const md = new MarketData({
      symbols: [{ base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minNotional: '5', price: 3000 }],
      now: Date.now,
      historyMs: 60_000,
    });
    const book = new Book({ market: md, now: Date.now, commission: unitsOf('0.001') });
    const r = book.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(isRejection(r) && r.code).toBe(-2010);
  });
});
