/**
 * The real ccxt binance client (4.5.84, unmodified) against the emulator: markets, balances, orders, stops, OCO and
 * candles as the live adapter will see them from binance spot. Failures and refusals: emulator-failures.test.ts.
 */
import ccxt, { type binance } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connected, connect, idOf } from './ccxt-harness';
import type { BinanceEmulator } from './server';

let emu: BinanceEmulator;
let ex: binance;
let client: Connected['client'];

beforeEach(async () => {
  ({ emu, ex, client } = await connect());
});
afterEach(async () => {
  await emu.close();
});

const signedParams = (method: string, path: string) => emu.requests({ method, path }).map((r) => r.params);

describe('markets and account', () => {
  it('loadMarkets reads exchangeInfo only, and precision, limits and status come out as on binance', async () => {
    const fresh = client();
    const markets = await fresh.loadMarkets();
    expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/exchangeInfo']);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'XMR/USDT', 'XRP/USDT']);
    const btc = fresh.market('BTC/USDT');
    expect(btc).toMatchObject({ id: 'BTCUSDT', spot: true, active: true, base: 'BTC', quote: 'USDT' });
    expect(btc.precision).toMatchObject({ amount: 0.00001, price: 0.01 }); // TICK_SIZE mode: steps, not digits
    expect(btc.limits.amount?.min).toBe(0.00001);
    expect(btc.limits.cost?.min).toBe(5);
    expect(fresh.market('XRP/USDT').precision).toMatchObject({ amount: 0.1, price: 0.0001 });
    expect(fresh.market('XMR/USDT').active).toBe(false);
    expect(fresh.amountToPrecision('ETH/USDT', 0.123456)).toBe('0.1234');
  });

  it('fetchBalance shows free and used; an open order moves its funds to used', async () => {
    let bal = await ex.fetchBalance();
    expect(bal.USDT).toMatchObject({ free: 10_000, used: 0, total: 10_000 });
    expect(bal.ETH).toMatchObject({ free: 0, used: 0 });
    await ex.createOrder('ETH/USDT', 'limit', 'buy', 1, 2500);
    bal = await ex.fetchBalance();
    expect(bal.USDT).toMatchObject({ free: 7_500, used: 2_500, total: 10_000 });
  });

  it('fetchTime and fetchTicker answer from the emulator clock and price', async () => {
    const t = await ex.fetchTime();
    expect(Math.abs((t ?? 0) - Date.now())).toBeLessThan(2_000);
    emu.setPrice('BTC/USDT', 61_000);
    const ticker = await ex.fetchTicker('BTC/USDT');
    expect(ticker.last).toBe(61_000);
    expect(ticker.high).toBe(61_000);
    expect(ticker.low).toBe(60_000);
  });
});

describe('orders', () => {
  it('a market buy fills at once and pays commission in the base asset (1 ETH buys 0.999 ETH)', async () => {
    const o = await ex.createOrder('ETH/USDT', 'market', 'buy', 1);
    expect(o).toMatchObject({ status: 'closed', filled: 1, average: 3000, cost: 3000 });
    expect(o.fee).toEqual({ currency: 'ETH', cost: 0.001 });
    expect(o.trades[0].info).toMatchObject({ commissionAsset: 'ETH', commission: '0.00100000' });
    expect(emu.balances().ETH).toEqual({ free: 0.999, locked: 0 });
    expect(emu.balances().USDT).toEqual({ free: 7_000, locked: 0 });
    expect(signedParams('POST', '/api/v3/order')[0]).toMatchObject({ type: 'MARKET', quantity: '1', newOrderRespType: 'FULL' });
  });

  it('a market buy given a price is sent as quoteOrderQty (ccxt option createOrder.quoteOrderQty)', async () => {
    const o = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.5, 3000);
    expect(signedParams('POST', '/api/v3/order')[0]).toMatchObject({ type: 'MARKET', quoteOrderQty: '1500' });
    expect(signedParams('POST', '/api/v3/order')[0].quantity).toBeUndefined();
    expect(o.filled).toBe(0.5);
  });

  it('a limit sell rests, then fills at its price when the price crosses it; the fee is paid in USDT', async () => {
    emu.setBalance('ETH', 2);
    const o = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3100, { clientOrderId: 'tp-1' });
    expect(o).toMatchObject({ status: 'open', clientOrderId: 'tp-1', filled: 0 });
    emu.setPrice('ETH/USDT', 3050);
    expect((await ex.fetchOrder(idOf(o), 'ETH/USDT')).status).toBe('open');
    emu.setPrice('ETH/USDT', 3200); // gap through the limit: a resting order still fills at its own price
    const done = await ex.fetchOrder(idOf(o), 'ETH/USDT');
    expect(done).toMatchObject({ status: 'closed', filled: 1, average: 3100, cost: 3100 });
    expect(emu.balances().USDT.free).toBeCloseTo(10_000 + 3100 - 3.1, 8);
    expect(emu.balances().ETH).toEqual({ free: 1, locked: 0 });
  });

  it('a limit order can fill in parts: PARTIALLY_FILLED (ccxt: open) until the rest fills', async () => {
    const o = await ex.createOrder('ETH/USDT', 'limit', 'buy', 1, 2900);
    emu.setPrice('ETH/USDT', 2890, { fillRatio: 0.4 });
    const part = await ex.fetchOrder(idOf(o), 'ETH/USDT');
    expect(part).toMatchObject({ status: 'open', filled: 0.4, remaining: 0.6 });
    expect(part.info.status).toBe('PARTIALLY_FILLED');
    emu.fillOrder({ symbol: 'ETH/USDT', orderId: Number(idOf(o)) });
    expect(await ex.fetchOrder(idOf(o), 'ETH/USDT')).toMatchObject({ status: 'closed', filled: 1 });
    expect(emu.balances().ETH.free).toBeCloseTo(0.999, 8);
    expect(emu.balances().USDT).toEqual({ free: 10_000 - 2_900, locked: 0 });
  });

  it('a market order the book cannot fill whole takes its share and ends EXPIRED (ccxt: expired, filled < amount); the rest is freed, the next one fills whole', async () => {
    emu.setBalance('ETH', 2);
    emu.partialMarketFill('ETH/USDT', 0.3);
    const o = await ex.createOrder('ETH/USDT', 'market', 'sell', 1);
    expect(o).toMatchObject({ status: 'expired', filled: 0.3, remaining: 0.7, average: 3000, cost: 900 });
    expect(o.info).toMatchObject({ status: 'EXPIRED', origQty: '1.00000000', executedQty: '0.30000000' });
    expect(emu.balances().ETH).toEqual({ free: 1.7, locked: 0 });
    expect(emu.balances().USDT.free).toBeCloseTo(10_000 + 900 - 0.9, 8);
    expect(await ex.fetchOrder(idOf(o), 'ETH/USDT')).toMatchObject({ status: 'expired', filled: 0.3 });
    // a buy is cut the same way and keeps only what it paid for; the share runs out after `times` orders
    emu.partialMarketFill('ETH/USDT', 0.5);
    expect(await ex.createOrder('ETH/USDT', 'market', 'buy', 0.2)).toMatchObject({ status: 'expired', filled: 0.1 });
    expect(await ex.createOrder('ETH/USDT', 'market', 'sell', 0.5)).toMatchObject({ status: 'closed', filled: 0.5 });
    expect(emu.balances().USDT).toEqual({ free: expect.closeTo(10_000 + 900 - 0.9 - 300 + 1500 - 1.5, 8), locked: 0 });
    expect(() => emu.partialMarketFill('ETH/USDT', 1)).toThrow(/\(0, 1\)/);
  });

  it('a stop-loss (params.stopPrice on a market sell) is sent as STOP_LOSS, waits, and fills at the gap price', async () => {
    emu.setBalance('ETH', 1);
    const sl = await ex.createOrder('ETH/USDT', 'market', 'sell', 1, undefined, { stopPrice: 2800 });
    expect(signedParams('POST', '/api/v3/order')[0]).toMatchObject({ type: 'STOP_LOSS', stopPrice: '2800', quantity: '1' });
    expect(sl).toMatchObject({ status: 'open', triggerPrice: 2800 });
    expect(emu.balances().ETH).toEqual({ free: 0, locked: 1 });
    emu.setPrice('ETH/USDT', 2850);
    expect((await ex.fetchOrder(idOf(sl), 'ETH/USDT')).status).toBe('open');
    emu.setPrice('ETH/USDT', 2700); // gaps through the stop
    const done = await ex.fetchOrder(idOf(sl), 'ETH/USDT');
    expect(done).toMatchObject({ status: 'closed', filled: 1, average: 2700 });
    expect(emu.balances().USDT.free).toBeCloseTo(10_000 + 2700 * 0.999, 8);
  });

  it('a stop-limit (params.triggerPrice on a limit sell) is sent as STOP_LOSS_LIMIT; a stop at the market is refused', async () => {
    emu.setBalance('ETH', 1);
    await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 2750, { triggerPrice: 2800 });
    expect(signedParams('POST', '/api/v3/order')[0]).toMatchObject({
      type: 'STOP_LOSS_LIMIT',
      stopPrice: '2800',
      price: '2750',
      timeInForce: 'GTC',
    });
    await expect(ex.createOrder('ETH/USDT', 'market', 'sell', 0.5, undefined, { stopPrice: 3100 })).rejects.toBeInstanceOf(
      ccxt.OrderImmediatelyFillable,
    );
  });

  it('OCO via privatePostOrderListOco: the take-profit leg fills, the stop leg ends EXPIRED, the base is locked once', async () => {
    emu.setBalance('ETH', 1);
    const list = await ex.privatePostOrderListOco({
      symbol: 'ETHUSDT',
      side: 'SELL',
      quantity: '1',
      listClientOrderId: 'oco-1',
      aboveType: 'LIMIT_MAKER',
      abovePrice: '3300',
      aboveClientOrderId: 'oco-1-tp',
      belowType: 'STOP_LOSS',
      belowStopPrice: '2800',
      belowClientOrderId: 'oco-1-sl',
    });
    expect(list).toMatchObject({ contingencyType: 'OCO', listStatusType: 'EXEC_STARTED', listClientOrderId: 'oco-1' });
    expect(emu.balances().ETH).toEqual({ free: 0, locked: 1 });
    expect((await ex.fetchOpenOrders('ETH/USDT')).map((o) => o.clientOrderId).sort()).toEqual(['oco-1-sl', 'oco-1-tp']);
    emu.setPrice('ETH/USDT', 3350);
    const tp = await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'oco-1-tp' });
    const sl = await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'oco-1-sl' });
    expect(tp).toMatchObject({ status: 'closed', filled: 1, average: 3300 });
    expect(sl.status).toBe('expired');
    expect(sl.info.status).toBe('EXPIRED');
    expect(emu.balances().ETH).toEqual({ free: 0, locked: 0 });
    expect(emu.balances().USDT.free).toBeCloseTo(10_000 + 3300 * 0.999, 8);
    expect((await ex.privateGetOrderList({ orderListId: list.orderListId })).listOrderStatus).toBe('ALL_DONE');
  });

  it('OCO via the older privatePostOrderOco: the stop leg fills on a drop and the limit leg expires', async () => {
    emu.setBalance('ETH', 1);
    await ex.privatePostOrderOco({
      symbol: 'ETHUSDT',
      side: 'SELL',
      quantity: '1',
      price: '3300',
      stopPrice: '2800',
      stopLimitPrice: '2790',
      stopLimitTimeInForce: 'GTC',
      limitClientOrderId: 'l',
      stopClientOrderId: 's',
    });
    emu.setPrice('ETH/USDT', 2795);
    expect((await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 's' })).status).toBe('closed');
    expect((await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'l' })).status).toBe('expired');
  });

  it('a buy OCO holds the larger quote amount once; cancelling one leg cancels the list and frees it', async () => {
    await ex.privatePostOrderListOco({
      symbol: 'ETHUSDT',
      side: 'BUY',
      quantity: '1',
      aboveType: 'STOP_LOSS_LIMIT',
      aboveStopPrice: '3200',
      abovePrice: '3210',
      aboveTimeInForce: 'GTC',
      aboveClientOrderId: 'up',
      belowType: 'LIMIT_MAKER',
      belowPrice: '2900',
      belowClientOrderId: 'down',
    });
    expect(emu.balances().USDT).toEqual({ free: 10_000 - 3_210, locked: 3_210 });
    const up = emu.order({ symbol: 'ETH/USDT', clientOrderId: 'up' });
    await ex.cancelOrder(String(up?.orderId), 'ETH/USDT');
    expect(emu.orders('ETH/USDT').map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(emu.balances().USDT).toEqual({ free: 10_000, locked: 0 });
    expect(await ex.privateGetOpenOrderList()).toEqual([]);
  });

  it('an OCO whose legs sit on the wrong side of the market is refused', async () => {
    emu.setBalance('ETH', 1);
    await expect(
      ex.privatePostOrderListOco({
        symbol: 'ETHUSDT',
        side: 'SELL',
        quantity: '1',
        aboveType: 'LIMIT_MAKER',
        abovePrice: '2900',
        belowType: 'STOP_LOSS',
        belowStopPrice: '2800',
      }),
    ).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    expect(emu.balances().ETH).toEqual({ free: 1, locked: 0 });
  });

  it('a stop-limit whose trigger price gaps past its limit triggers but rests as a limit order', async () => {
    emu.setBalance('ETH', 1);
    const o = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 2750, { triggerPrice: 2800 });
    emu.setPrice('ETH/USDT', 2700);
    const rest = await ex.fetchOrder(idOf(o), 'ETH/USDT');
    expect(rest).toMatchObject({ status: 'open', filled: 0 });
    expect(rest.info).toMatchObject({ isWorking: true });
    emu.setPrice('ETH/USDT', 2760);
    expect(await ex.fetchOrder(idOf(o), 'ETH/USDT')).toMatchObject({ status: 'closed', average: 2750 });
  });

  it('an IOC limit order that does not cross ends EXPIRED and holds nothing', async () => {
    const o = await ex.createOrder('ETH/USDT', 'limit', 'buy', 1, 2900, { timeInForce: 'IOC' });
    expect(o.status).toBe('expired');
    expect(emu.balances().USDT).toEqual({ free: 10_000, locked: 0 });
  });

  it('a crossing IOC limit fills in full at the last price, or (fill ratio) in part and ends EXPIRED with the executed part', async () => {
    const last = emu.price('ETH/USDT');
    const whole = await ex.createOrder('ETH/USDT', 'limit', 'buy', 0.5, last * 1.005, { timeInForce: 'IOC' });
    expect(whole).toMatchObject({ status: 'closed', filled: 0.5, average: last });
    emu.setFillRatio('ETH/USDT', 0.4);
    try {
      const usdt = emu.balances().USDT.free;
      const part = await ex.createOrder('ETH/USDT', 'limit', 'buy', 1, last * 1.005, { timeInForce: 'IOC' });
      expect(part).toMatchObject({ status: 'expired', filled: 0.4, remaining: 0.6, average: last });
      expect(part.info).toMatchObject({ status: 'EXPIRED', executedQty: '0.40000000' });
      // only what filled was paid; nothing stays held for the dropped rest
      expect(emu.balances().USDT).toEqual({ free: usdt - 0.4 * last, locked: 0 });
      const fok = await ex.createOrder('ETH/USDT', 'limit', 'buy', 1, last * 1.005, { timeInForce: 'FOK' });
      expect(fok).toMatchObject({ status: 'expired', filled: 0 });
    } finally {
      emu.setFillRatio('ETH/USDT', 1);
    }
  });

  it('fetchOrder by clientOrderId sends origClientOrderId; open, closed and trade lists; cancel and cancel-all', async () => {
    emu.setBalance('ETH', 3);
    await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'buy-1' });
    const rest = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3500, { clientOrderId: 'rest-1' });
    await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3600, { clientOrderId: 'rest-2' });

    const byClient = await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'buy-1' });
    expect(byClient).toMatchObject({ clientOrderId: 'buy-1', status: 'closed', filled: 0.1 });
    const q = signedParams('GET', '/api/v3/order')[0];
    expect(q.origClientOrderId).toBe('buy-1');
    expect(q.orderId).toBeUndefined();

    expect((await ex.fetchOpenOrders('ETH/USDT')).map((o) => o.clientOrderId)).toEqual(['rest-1', 'rest-2']);
    expect((await ex.fetchClosedOrders('ETH/USDT')).map((o) => o.clientOrderId)).toEqual(['buy-1']);
    const trades = await ex.fetchMyTrades('ETH/USDT');
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ side: 'buy', amount: 0.1, price: 3000, fee: { currency: 'ETH', cost: 0.0001 } });

    const cancelled = await ex.cancelOrder(idOf(rest), 'ETH/USDT');
    expect(cancelled.status).toBe('canceled');
    // binance names the cancel request in clientOrderId; the order's own id comes back as origClientOrderId
    expect(cancelled.info.origClientOrderId).toBe('rest-1');
    await expect(ex.cancelOrder(idOf(rest), 'ETH/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);

    const all = await ex.cancelAllOrders('ETH/USDT');
    expect(all.map((o) => o.status)).toEqual(['canceled']);
    expect(emu.balances().ETH).toEqual({ free: 3.0999, locked: 0 });
    // binance answers -2011 when there is nothing to cancel
    await expect(ex.cancelAllOrders('ETH/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    expect((await ex.fetchOrders('ETH/USDT')).map((o) => o.status)).toEqual(['closed', 'canceled', 'canceled']);
  });

  it('takeProfitPrice sends TAKE_PROFIT; fetchOrderTrades reads myTrades by orderId; test orders place nothing', async () => {
    emu.setBalance('ETH', 1);
    const tp = await ex.createOrder('ETH/USDT', 'market', 'sell', 1, undefined, { takeProfitPrice: 3300 });
    expect(signedParams('POST', '/api/v3/order')[0]).toMatchObject({ type: 'TAKE_PROFIT', stopPrice: '3300' });
    emu.setPrice('ETH/USDT', 3310);
    const trades = await ex.fetchOrderTrades(idOf(tp), 'ETH/USDT');
    expect(trades.map((t) => [t.order, t.price, t.amount])).toEqual([[idOf(tp), 3310, 1]]);
    expect(signedParams('GET', '/api/v3/myTrades')[0].orderId).toBe(idOf(tp));
    await ex.createOrder('ETH/USDT', 'limit', 'buy', 1, 3000, { test: true });
    expect(emu.requests({ method: 'POST' }).map((r) => r.path)).toEqual(['/api/v3/order', '/api/v3/order/test']);
    expect(emu.orders('ETH/USDT')).toHaveLength(1);
    const tickers = await ex.fetchTickers(['BTC/USDT', 'ETH/USDT']);
    expect(tickers['ETH/USDT'].last).toBe(3310);
  });

  it('editOrder is cancelReplace: the old order ends CANCELED and a new one (new id) takes its place', async () => {
    emu.setBalance('ETH', 2);
    const o = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3100);
    const edited = await ex.editOrder(idOf(o), 'ETH/USDT', 'limit', 'sell', 1, 3200, { clientOrderId: 'tp-2' });
    expect(edited).toMatchObject({ status: 'open', price: 3200, clientOrderId: 'tp-2' });
    expect(edited.id).not.toBe(o.id);
    expect(signedParams('POST', '/api/v3/order/cancelReplace')[0]).toMatchObject({
      cancelReplaceMode: 'STOP_ON_FAILURE',
      cancelOrderId: o.id,
    });
    expect(emu.orders('ETH/USDT').map((x) => [x.status, x.price])).toEqual([
      ['CANCELED', 3100],
      ['NEW', 3200],
    ]);
    expect(emu.balances().ETH).toEqual({ free: 1, locked: 1 });
    // moving a stop: params.stopPrice works; params.triggerPrice is also left in the request by ccxt 4.5.84 (-1104)
    const sl = await ex.createOrder('ETH/USDT', 'market', 'sell', 1, undefined, { stopPrice: 2800 });
    await expect(ex.editOrder(idOf(sl), 'ETH/USDT', 'market', 'sell', 1, undefined, { triggerPrice: 2850 })).rejects.toBeInstanceOf(
      ccxt.BadRequest,
    );
    const moved = await ex.editOrder(idOf(sl), 'ETH/USDT', 'market', 'sell', 1, undefined, { stopPrice: 2850 });
    expect(moved).toMatchObject({ status: 'open', triggerPrice: 2850 });
    // the cancel half failing: -2022, BadResponse as against binance itself (pointCcxtAt keeps the spot error map)
    await expect(ex.editOrder(idOf(sl), 'ETH/USDT', 'market', 'sell', 1, undefined, { stopPrice: 2900 })).rejects.toBeInstanceOf(
      ccxt.BadResponse,
    );
  });

  it('a parameter binance does not read is refused (-1104, BadRequest), e.g. reduceOnly on spot', async () => {
    await expect(ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 2000, { reduceOnly: true })).rejects.toBeInstanceOf(ccxt.BadRequest);
    expect(emu.orders()).toHaveLength(0);
  });

  it('newClientOrderId is unique among open orders: a second open order with it is refused (-2010)', async () => {
    await ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 2000, { clientOrderId: 'same' });
    await expect(ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 2000, { clientOrderId: 'same' })).rejects.toBeInstanceOf(
      ccxt.InvalidOrder,
    );
    expect(emu.orders('ETH/USDT')).toHaveLength(1);
  });
});

describe('candles on the wall clock', () => {
  it('fetchOHLCV cuts 1m candles from the price path, up to the current forming one, honouring since/limit/until', async () => {
    const minute = 60_000;
    const now = Date.now();
    const t0 = Math.floor(now / minute) * minute - 5 * minute;
    emu.setPricePath('ETH/USDT', [
      [t0 - minute, 3000],
      [t0 + 10_000, 3010],
      [t0 + 20_000, 2990],
      [t0 + minute + 5_000, 3020],
    ]);
    const candles = await ex.fetchOHLCV('ETH/USDT', '1m', t0, 3);
    expect(candles.map((c) => c[0])).toEqual([t0, t0 + minute, t0 + 2 * minute]);
    expect(candles[0].slice(1, 5)).toEqual([3000, 3010, 2990, 2990]);
    expect(candles[1].slice(1, 5)).toEqual([2990, 3020, 2990, 3020]);
    expect(candles[2].slice(1, 5)).toEqual([3020, 3020, 3020, 3020]);
    const latest = await ex.fetchOHLCV('ETH/USDT', '1m', undefined, 2);
    const forming = latest[latest.length - 1][0] as number;
    expect(forming).toBeLessThanOrEqual(Date.now());
    expect(forming + minute).toBeGreaterThan(Date.now() - 1_000); // the current, still open candle is included
    emu.setPrice('ETH/USDT', 3100);
    expect((await ex.fetchOHLCV('ETH/USDT', '1m', undefined, 1))[0][4]).toBe(3100);
    const until = await ex.fetchOHLCV('ETH/USDT', '1m', t0, undefined, { until: t0 + minute });
    expect(until.map((c) => c[0])).toEqual([t0, t0 + minute]);
    const fives = await ex.fetchOHLCV('ETH/USDT', '5m', undefined, 3);
    expect(fives.every((c) => (c[0] as number) % (5 * minute) === 0)).toBe(true);
  });
});
