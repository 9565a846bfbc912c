import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaperExchange } from '../../src-main/engine/adapters/paper/paper.exchange';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import type { MarketRules } from '../../src-main/engine/ports/exchange.port';

const rules: MarketRules = {
  symbol: 'XRP/USDT',
  base: 'XRP',
  quote: 'USDT',
  amountStep: 0.01,
  priceStep: 0.0001,
  minAmount: 0.01,
  minNotional: 1,
};
const make = (fee = 0.1, slip = 0) => {
  const ex = new PaperExchange({ rules, startingQuote: 1000, feePct: fee, slippagePct: slip });
  ex.onCandle(0, 1, 1, 1, 1);
  return ex;
};
const buy = (ex: PaperExchange, id: string, amount = 100) =>
  ex.placeOrder({ clientOrderId: id, symbol: 'XRP/USDT', side: 'buy', type: 'market', amount });

describe('paper exchange', () => {
  it('fills a market buy at the close plus slippage, rounded against us, and charges the fee in quote', () => {
    const ex = make(0.1, 0.05);
    const s = buy(ex, 'a');
    expect(s.status).toBe('filled');
    expect(s.averagePrice).toBe(1.0005);
    expect(s.fee).toBeCloseTo(100 * 1.0005 * 0.001, 12);
    expect(ex.balances().base).toBe(100);
    expect(ex.balances().quote).toBeCloseTo(1000 - 100.05 - 0.10005, 9);
  });

  it('is idempotent by clientOrderId: a retried placement does not buy twice', () => {
    const ex = make();
    buy(ex, 'same');
    const again = buy(ex, 'same');
    expect(again.status).toBe('filled');
    expect(ex.balances().base).toBe(100);
  });

  it('rejects orders it cannot fill and changes nothing', () => {
    const ex = make();
    expect(buy(ex, 'big', 5000).status).toBe('rejected');
    expect(ex.placeOrder({ clientOrderId: 's', symbol: 'XRP/USDT', side: 'sell', type: 'market', amount: 1 }).rejectReason).toMatch(
      /insufficient base/,
    );
    expect(ex.placeOrder({ clientOrderId: 'x', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 1 }).rejectReason).toMatch(
      /unknown market/,
    );
    expect(ex.balances()).toEqual({ base: 0, quote: 1000 });
  });

  it('fills a stop at its trigger, or at the open when the candle gaps below it', () => {
    const ex = make(0);
    buy(ex, 'e');
    ex.placeOrder({ clientOrderId: 'sl', symbol: 'XRP/USDT', side: 'sell', type: 'stop_market', amount: 100, triggerPrice: 0.95 });
    ex.onCandle(1, 1, 1.01, 0.96, 0.97);
    expect(ex.takeUpdates()).toHaveLength(0);
    ex.onCandle(2, 0.97, 0.98, 0.94, 0.95);
    const [u] = ex.takeUpdates();
    expect(u).toMatchObject({ clientOrderId: 'sl', status: 'filled', averagePrice: 0.95 });

    const gap = make(0);
    buy(gap, 'e');
    gap.placeOrder({ clientOrderId: 'sl', symbol: 'XRP/USDT', side: 'sell', type: 'stop_market', amount: 100, triggerPrice: 0.95 });
    gap.onCandle(1, 0.9, 0.92, 0.88, 0.91);
    expect(gap.takeUpdates()[0].averagePrice).toBe(0.9);
  });

  it('fills a take-profit at its price, or at the open when the candle gaps above it', () => {
    const ex = make(0);
    buy(ex, 'e');
    ex.placeOrder({ clientOrderId: 'tp', symbol: 'XRP/USDT', side: 'sell', type: 'limit', amount: 100, price: 1.05 });
    ex.onCandle(1, 1.1, 1.12, 1.08, 1.1);
    expect(ex.takeUpdates()[0]).toMatchObject({ status: 'filled', averagePrice: 1.1 });
  });

  it('assumes the stop filled first when one candle touches both, and cancels the OCO partner', () => {
    const ex = make(0);
    buy(ex, 'e');
    ex.placeOrder({ clientOrderId: 'tp', symbol: 'XRP/USDT', side: 'sell', type: 'limit', amount: 100, price: 1.05, ocoGroup: 'p1' });
    ex.placeOrder({
      clientOrderId: 'sl',
      symbol: 'XRP/USDT',
      side: 'sell',
      type: 'stop_market',
      amount: 100,
      triggerPrice: 0.95,
      ocoGroup: 'p1',
    });
    ex.onCandle(1, 1, 1.06, 0.94, 1.0);
    const updates = ex.takeUpdates();
    expect(updates.find((u) => u.clientOrderId === 'sl')).toMatchObject({ status: 'filled', averagePrice: 0.95 });
    expect(updates.find((u) => u.clientOrderId === 'tp')).toMatchObject({ status: 'cancelled' });
    expect(ex.balances().base).toBe(0);
    expect(ex.openOrderCount).toBe(0);
  });

  it('rests limit buys until touched and lets them be cancelled', () => {
    const ex = make(0);
    const placed = ex.placeOrder({ clientOrderId: 'lb', symbol: 'XRP/USDT', side: 'buy', type: 'limit', amount: 100, price: 0.9 });
    expect(placed.status).toBe('open');
    expect(ex.cancelOrder('lb')?.status).toBe('cancelled');
    expect(placed).toBe(ex.fetchOrder('lb')); // one record per order, answered as it is: read at once, not kept
    ex.onCandle(1, 0.95, 0.96, 0.85, 0.9);
    expect(ex.takeUpdates()).toHaveLength(0);
    expect(ex.balances()).toEqual({ base: 0, quote: 1000 });
    ex.placeOrder({ clientOrderId: 'lb2', symbol: 'XRP/USDT', side: 'buy', type: 'limit', amount: 100, price: 0.9 });
    ex.onCandle(2, 0.92, 0.93, 0.89, 0.9);
    expect(ex.takeUpdates()[0]).toMatchObject({ clientOrderId: 'lb2', status: 'filled', averagePrice: 0.9 });
  });

  it('answers one record per order, and keeps a finished order answerable for a while, not for ever', () => {
    const ex = make(0);
    buy(ex, 'b');
    const tp = { clientOrderId: 'tp', symbol: 'XRP/USDT', side: 'sell', type: 'limit', amount: 100, price: 1.05 } as const;
    const answered = ex.placeOrder(tp);
    ex.onCandle(1, 1, 1.1, 1, 1.05);
    // the book's record of the order, updated in place by the fill (ExchangePort: states are read at once, not kept)
    expect(ex.fetchOrder('tp')).toBe(answered);
    expect(answered).toMatchObject({ status: 'filled', averagePrice: 1.05 });
    expect(ex.placeOrder(tp).status).toBe('filled'); // a retry of the filled order is answered, not placed again
    expect(ex.balances().base).toBe(0);
    for (let i = 0; i < 100; i++) buy(ex, `x${i}`, 1);
    expect(ex.fetchOrder('x99')?.status).toBe('filled');
    // a hundred finished orders later it is forgotten (a restart reconciles from the journal): memory stays bounded
    expect(ex.fetchOrder('tp')).toBeNull();
  });

  it('gives every order its own exchange id, however many finished orders it has forgotten, across restarts', () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'botdesk-paper-ids-')));
    try {
      const open = () => {
        const ex = new PaperExchange({ rules, startingQuote: 1000, feePct: 0, slippagePct: 0, journal: store.paperJournal() });
        ex.onCandle(0, 1, 1, 1, 1);
        return ex;
      };
      const ids: (string | null)[] = [];
      let ex = open();
      for (let i = 0; i < 150; i++) ids.push(buy(ex, `a${i}`, 1).exchangeOrderId);
      ex = open(); // a restart: the book comes back from the journal
      for (let i = 0; i < 150; i++) ids.push(buy(ex, `b${i}`, 1).exchangeOrderId);
      expect(new Set(ids).size).toBe(300);
      expect(ids.at(-1)).toBe('paper-300');
      // the restored book keeps what the running one keeps: the recent finished orders, not every one ever placed
      ex = open();
      expect(ex.fetchOrder('b149')?.status).toBe('filled');
      expect(ex.fetchOrder('a0')).toBeNull();
      expect(ex.placeOrder({ clientOrderId: 'b149', symbol: 'XRP/USDT', side: 'buy', type: 'market', amount: 1 }).exchangeOrderId).toBe(
        'paper-300',
      ); // a retried placement is still answered, not placed again
    } finally {
      store.close();
    }
  });

  it('keeps in its journal what its book keeps: a restart drops the finished orders it forgot, never an open one', () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'botdesk-paper-forget-')));
    const rows = () => (store.db.prepare(`SELECT count(*) AS n FROM paper_orders`).get() as { n: number }).n;
    try {
      const open = () => {
        const ex = new PaperExchange({ rules, startingQuote: 1000, feePct: 0, slippagePct: 0, journal: store.paperJournal() });
        ex.onCandle(0, 1, 1, 1, 1);
        return ex;
      };
      let ex = open();
      const resting = { clientOrderId: 'rest', symbol: 'XRP/USDT', side: 'buy', type: 'limit', amount: 10, price: 0.5 } as const;
      ex.placeOrder(resting);
      for (let i = 0; i < 200; i++) buy(ex, `a${i}`, 1);
      expect(rows()).toBe(201); // a running book writes every order
      ex = open();
      expect(rows()).toBe(65); // the 64 finished orders a book keeps, and the open one
      expect(ex.fetchOrder('rest')?.status).toBe('open');
      expect(ex.fetchOrder('a199')?.status).toBe('filled');
      // the ids go on from the newest, and the resting order still fills after the restarts
      expect(buy(ex, 'b0', 1).exchangeOrderId).toBe('paper-202');
      ex = open();
      expect(rows()).toBe(65);
      ex.onCandle(1, 0.6, 0.6, 0.45, 0.5);
      expect(ex.fetchOrder('rest')).toMatchObject({ status: 'filled', averagePrice: 0.5 });
      expect(buy(ex, 'b1', 1).exchangeOrderId).toBe('paper-203');
    } finally {
      store.close();
    }
  });
});
