/**
 * The real ccxt binance client (4.5.84) against the emulator when things go wrong: refusals (auth, clock, funds,
 * filters, halted markets, unread parameters) and faults (503, 429, 418, delay, lost acknowledgement, dropped
 * request) as ccxt classifies them — the table docs/security.md R2–R5 asks the adapter to act on.
 */
import ccxt, { type binance } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connected, connect, idOf } from './ccxt-harness';
import { pointCcxtAt } from './ccxt-origin';
import { type BinanceEmulator, DEFAULT_API_KEY, DEFAULT_SECRET } from './server';

let emu: BinanceEmulator;
let ex: binance;
let client: Connected['client'];

beforeEach(async () => {
  ({ emu, ex, client } = await connect());
});
afterEach(async () => {
  await emu.close();
});

describe('what else a client meets', () => {
  it('klines: startTime inside a candle starts at the next one, weeks open on Monday, a bad interval is -1120', async () => {
    const minute = 60_000;
    const t0 = Math.floor(Date.now() / minute) * minute - 3 * minute;
    const rows = await ex.publicGetKlines({ symbol: 'ETHUSDT', interval: '1m', startTime: t0 + 1, limit: 2 });
    expect(rows.map((r: unknown[]) => r[0])).toEqual([t0 + minute, t0 + 2 * minute]);
    expect(rows[0]).toHaveLength(12);
    const weeks = await ex.fetchOHLCV('ETH/USDT', '1w', undefined, 1);
    expect(new Date(weeks[0][0] as number).getUTCDay()).toBe(1);
    await expect(ex.publicGetKlines({ symbol: 'ETHUSDT', interval: '7m' })).rejects.toBeInstanceOf(ccxt.BadRequest);
  });

  it('without the restricting options loadMarkets also asks for currencies, margin pairs and futures (all answered)', async () => {
    const chatty = new ccxt.binance({ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET, enableRateLimit: false });
    pointCcxtAt(chatty, emu.url);
    await chatty.loadMarkets();
    expect(
      emu
        .requests()
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/api/v3/exchangeInfo',
      '/dapi/v1/exchangeInfo',
      '/fapi/v1/exchangeInfo',
      '/sapi/v1/capital/config/getall',
      '/sapi/v1/margin/allPairs',
      '/sapi/v1/margin/allPairs',
      '/sapi/v1/margin/isolated/allPairs',
    ]);
    expect(Object.keys(chatty.markets ?? {}).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'XMR/USDT', 'XRP/USDT']);
  });

  it('fetchTradingFee reports the commission; fetchStatus reports maintenance when the test says so', async () => {
    expect(await ex.fetchTradingFee('ETH/USDT')).toMatchObject({ symbol: 'ETH/USDT', maker: 0.001, taker: 0.001 });
    expect((await ex.fetchStatus()).status).toBe('ok');
    emu.setMaintenance(true);
    expect((await ex.fetchStatus()).status).toBe('maintenance');
  });

  it('an endpoint the emulator lacks is a 404 (ExchangeNotAvailable) and shows in the request log', async () => {
    await expect(ex.sapiGetAccountStatus()).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(emu.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /sapi/v1/account/status 404']);
  });

  it('pointCcxtAt leaves no URL of urls.api / urls.test off 127.0.0.1, in sandbox mode too, and a sandbox client trades', async () => {
    const sandbox = new ccxt.binance({
      apiKey: DEFAULT_API_KEY,
      secret: DEFAULT_SECRET,
      enableRateLimit: false,
      options: { fetchMarkets: { types: ['spot'] } },
    });
    sandbox.setSandboxMode(true);
    expect(pointCcxtAt(sandbox, `${emu.url}/`)).toBeGreaterThan(10);
    const urls: string[] = [];
    const walk = (n: unknown): void => {
      if (typeof n === 'string') urls.push(n);
      else if (n && typeof n === 'object') Object.values(n).forEach(walk);
    };
    walk([sandbox.urls.api, sandbox.urls.test]);
    const offHost = urls.filter((u) => /^[a-z]+:\/\//i.test(u) && !/^(http|ws):\/\/127\.0\.0\.1:\d+\//.test(u));
    expect(offHost).toEqual([]);
    expect(sandbox.urls.api.private).toBe(`${emu.url}/api/v3`);
    expect(() => pointCcxtAt(sandbox, `${emu.url}/api`)).toThrow(/origin/);
    await sandbox.loadMarkets();
    expect((await sandbox.createOrder('ETH/USDT', 'market', 'buy', 0.1)).status).toBe('closed');
    expect(emu.requests().map((r) => r.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/order']);
  });
});

describe('refusals, as ccxt classifies them', () => {
  it('a wrong secret is AuthenticationError (-1022), so is an unknown key (-2015) on a fresh client', async () => {
    await expect(client({ secret: 'not-the-secret' }).fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(client({ apiKey: 'someoneElsesKey' }).fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    expect(emu.requests({ path: '/api/v3/account' }).map((r) => r.status)).toEqual([400, 401]);
  });

  it('a key revoked after the client once succeeded surfaces as DDoSProtection (ccxt maps -2015 so then)', async () => {
    await ex.fetchBalance();
    emu.setCredentials({ apiKey: 'rotatedKey', secret: 'rotatedSecret' });
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(ccxt.DDoSProtection);
  });

  it('a client clock outside recvWindow is InvalidNonce (-1021)', async () => {
    emu.setClockOffset(-30_000);
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(ccxt.InvalidNonce);
  });

  it('more than the free balance is InsufficientFunds; nothing is placed', async () => {
    await expect(ex.createOrder('BTC/USDT', 'market', 'buy', 1)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await expect(ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3500)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    expect(emu.orders()).toHaveLength(0);
  });

  it('PRICE_FILTER, LOT_SIZE and PERCENT_PRICE_BY_SIDE failures are InvalidOrder; NOTIONAL is BadRequest in ccxt 4.5.84', async () => {
    await expect(ex.createOrder('ETH/USDT', 'limit', 'buy', 0.01, 2_000_000)).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(ex.createOrder('ETH/USDT', 'limit', 'buy', 10_000_000, 1)).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    // raw quantity off the step (ccxt's own createOrder truncates amounts to the step first)
    await expect(ex.privatePostOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.12345' })).rejects.toThrow(/LOT_SIZE/);
    // PERCENT_PRICE_BY_SIDE: a limit more than 5× (or under 0.2×) the market price; ccxt's broad map says InvalidOrder
    emu.setBalance('ETH', 1);
    await expect(ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 15_001)).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(ex.createOrder('ETH/USDT', 'limit', 'buy', 1, 599)).rejects.toThrow(/PERCENT_PRICE_BY_SIDE/);
    const notional = ex.createOrder('ETH/USDT', 'limit', 'buy', 0.001, 3000);
    await expect(notional).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(notional).rejects.toThrow(/Filter failure: NOTIONAL/);
  });

  it('binance allows 5 open stop orders per symbol (MAX_NUM_ALGO_ORDERS): the 6th is -1013, BadRequest in ccxt', async () => {
    emu.setBalance('ETH', 10);
    for (let i = 0; i < 5; i++) await ex.createOrder('ETH/USDT', 'market', 'sell', 1, undefined, { stopPrice: 2800 - i });
    const sixth = ex.createOrder('ETH/USDT', 'market', 'sell', 1, undefined, { stopPrice: 2700 });
    await expect(sixth).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(sixth).rejects.toThrow(/MAX_NUM_ALGO_ORDERS/);
    await expect(
      ex.privatePostOrderListOco({
        symbol: 'ETHUSDT',
        side: 'SELL',
        quantity: '1',
        aboveType: 'LIMIT_MAKER',
        abovePrice: '3300',
        belowType: 'STOP_LOSS',
        belowStopPrice: '2700',
      }),
    ).rejects.toThrow(/MAX_NUM_ALGO_ORDERS/);
    expect((await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3300)).status).toBe('open'); // plain orders still go in
  });

  it('an order on a halted market (status BREAK) is MarketClosed', async () => {
    await expect(ex.createOrder('XMR/USDT', 'market', 'buy', 1)).rejects.toBeInstanceOf(ccxt.MarketClosed);
  });
});

describe('faults (docs/security.md R2–R5)', () => {
  it('429 carries Retry-After and -1003; ccxt raises DDoSProtection (RateLimitExceeded is never reached)', async () => {
    emu.fault({ kind: '429', path: '/api/v3/account', times: 1, retryAfterS: 7 });
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(ccxt.DDoSProtection);
    expect((await ex.fetchBalance()).USDT.free).toBe(10_000);
    emu.fault({ kind: '429', path: '/api/v3/time', retryAfterS: 7 });
    const raw = await fetch(`${emu.url}/api/v3/time`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(await raw.json()).toMatchObject({ code: -1003 });
  });

  it("with a weight limit on, binance's per-minute request weight runs out: 429 with Retry-After to the minute's end", async () => {
    emu.setWeightLimit(50);
    let refused: unknown;
    // account costs 20: the third call in a minute passes 50 (a minute may roll over in between: try a few more)
    for (let i = 0; i < 8 && !refused; i++)
      refused = await ex.fetchBalance().then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(ccxt.DDoSProtection);
    expect(emu.usedWeight()).toBeLessThanOrEqual(50);
    const raw = await fetch(`${emu.url}/api/v3/exchangeInfo`);
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(raw.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(Number(raw.headers.get('x-mbx-used-weight-1m'))).toBe(emu.usedWeight());
    emu.setWeightLimit(undefined);
    expect((await ex.fetchBalance()).USDT.free).toBe(10_000);
  });

  it('418 is DDoSProtection too', async () => {
    emu.fault({ kind: '418', path: '/api/v3/openOrders', method: 'GET' });
    await expect(ex.fetchOpenOrders('ETH/USDT')).rejects.toBeInstanceOf(ccxt.DDoSProtection);
  });

  it('503 is ExchangeNotAvailable, a NetworkError, and the order is not placed', async () => {
    emu.fault({ kind: '503', path: '/api/v3/order', method: 'POST', times: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ccxt.ExchangeNotAvailable);
      expect(err).toBeInstanceOf(ccxt.NetworkError);
    }
    expect(emu.orders()).toHaveLength(0);
    expect((await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1)).status).toBe('closed'); // the third call passes
  });

  it('a delayed answer arrives late; past the client timeout it is a RequestTimeout with the order placed', async () => {
    emu.fault({ kind: 'delay', path: '/api/v3/time', delayMs: 300 });
    const started = Date.now();
    await ex.fetchTime();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // only the call under test gets the short timeout: a loaded CI machine must not time out the others
    const impatient = client();
    await impatient.loadMarkets();
    impatient.timeout = 300;
    emu.fault({ kind: 'delay', path: '/api/v3/order', method: 'POST', delayMs: 1_000 });
    await expect(impatient.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'slow-1' })).rejects.toBeInstanceOf(
      ccxt.RequestTimeout,
    );
    expect(emu.order({ symbol: 'ETH/USDT', clientOrderId: 'slow-1' })?.status).toBe('FILLED');
  });

  it('lost ack (socket reset): NetworkError, yet the order is in the book and found by its clientOrderId (R2/R3)', async () => {
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'POST', mode: 'destroy' });
    const err = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.5, undefined, { clientOrderId: 'lost-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    const found = await ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'lost-1' });
    expect(found).toMatchObject({ clientOrderId: 'lost-1', status: 'closed', filled: 0.5 });
    expect(emu.orders('ETH/USDT')).toHaveLength(1);
    expect(emu.requests({ path: '/api/v3/order', method: 'POST' })[0]).toMatchObject({ status: 0, fault: 'lostAck' });
  });

  it('a blind retry after a lost ack buys twice: binance only refuses a clientOrderId that an OPEN order carries', async () => {
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'POST', mode: 'destroy' });
    await expect(ex.createOrder('ETH/USDT', 'market', 'buy', 0.5, undefined, { clientOrderId: 'once' })).rejects.toBeInstanceOf(
      ccxt.NetworkError,
    );
    await ex.createOrder('ETH/USDT', 'market', 'buy', 0.5, undefined, { clientOrderId: 'once' });
    expect(emu.orders('ETH/USDT').map((o) => [o.clientOrderId, o.status])).toEqual([
      ['once', 'FILLED'],
      ['once', 'FILLED'],
    ]);
    expect(emu.balances().ETH.free).toBeCloseTo(2 * 0.4995, 8);
  });

  it('lost ack (no answer): RequestTimeout on a short timeout; the resting order shows in fetchOpenOrders', async () => {
    const impatient = client();
    await impatient.loadMarkets();
    impatient.timeout = 400;
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'POST', mode: 'hang' });
    await expect(impatient.createOrder('ETH/USDT', 'limit', 'buy', 0.5, 2500, { clientOrderId: 'lost-2' })).rejects.toBeInstanceOf(
      ccxt.RequestTimeout,
    );
    impatient.timeout = 5_000;
    const open = await impatient.fetchOpenOrders('ETH/USDT');
    expect(open.map((o) => o.clientOrderId)).toEqual(['lost-2']);
    expect(emu.balances().USDT).toEqual({ free: 8_750, locked: 1_250 });
  });

  it('waitForRequest sees a held-back order as it arrives, so a test can act (kill a bot) before any answer (R2)', async () => {
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'POST', mode: 'hang' });
    const slow = client();
    await slow.loadMarkets();
    slow.timeout = 800;
    const placing = slow.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'r2-1' }).catch((e: unknown) => e);
    const arrived = await emu.waitForRequest({ method: 'POST', path: '/api/v3/order' });
    expect(arrived.params.newClientOrderId).toBe('r2-1');
    expect(emu.order({ symbol: 'ETH/USDT', clientOrderId: 'r2-1' })?.status).toBe('FILLED');
    expect(await placing).toBeInstanceOf(ccxt.RequestTimeout);
    await expect(emu.waitForRequest({ path: '/api/v3/order' }, { count: 2, timeoutMs: 50 })).rejects.toThrow(/within 50 ms/);
  });

  it('cancel ambiguity (R4): a cancel whose answer is lost, retried, is OrderNotFound; fetchOrder tells canceled from filled', async () => {
    emu.setBalance('ETH', 2);
    const a = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3100);
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'DELETE', mode: 'destroy' });
    await expect(ex.cancelOrder(idOf(a), 'ETH/USDT')).rejects.toBeInstanceOf(ccxt.NetworkError);
    await expect(ex.cancelOrder(idOf(a), 'ETH/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    expect((await ex.fetchOrder(idOf(a), 'ETH/USDT')).status).toBe('canceled');
    const b = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 3100);
    emu.setPrice('ETH/USDT', 3100); // filled just before the cancel arrives
    await expect(ex.cancelOrder(idOf(b), 'ETH/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    expect((await ex.fetchOrder(idOf(b), 'ETH/USDT')).status).toBe('closed');
  });

  it('a dropped request (partition) never reaches the book: NetworkError and no order', async () => {
    emu.fault({ kind: 'drop', path: '*', times: 2, mode: 'destroy' });
    await expect(ex.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'gone' })).rejects.toBeInstanceOf(
      ccxt.NetworkError,
    );
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(ccxt.NetworkError);
    expect(emu.orders()).toHaveLength(0);
    await expect(ex.fetchOrder('', 'ETH/USDT', { clientOrderId: 'gone' })).rejects.toBeInstanceOf(ccxt.OrderNotFound);
  });

  it('the request log keeps method, path and parameters, never the signature or the key', async () => {
    await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1);
    const [rec] = emu.requests({ method: 'POST', path: '/api/v3/order' });
    expect(rec.params).toMatchObject({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', recvWindow: '10000' });
    expect(rec.params.signature).toBeUndefined();
    expect(JSON.stringify(emu.requests())).not.toContain(DEFAULT_API_KEY);
  });
});
