/**
 * The binance spot REST emulator's HTTP side: listens on 127.0.0.1 only, routes the endpoints ccxt's binance class
 * calls, checks X-MBX-APIKEY, the HMAC-SHA256 signature, timestamp and recvWindow like binance, applies the faults a
 * test armed, and keeps a log of every request (its parameters without signature or key).
 */
import { createHmac } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Book, type Json } from './book';
import { cancelReplace } from './cancel-replace';
import { unreadParams } from './endpoint-params';
import { placeOco } from './oco';
import * as q from './queries';
import { type EmulatorControl, createControl } from './control';
import { formatUnits, unitsOf } from './decimal';
import {
  AHEAD_OF_SERVER,
  BAD_SIGNATURE,
  INVALID_SYMBOL,
  KEY_FORMAT,
  KEY_INVALID,
  OUTSIDE_RECV_WINDOW,
  RECV_WINDOW_TOO_BIG,
  type Rejection,
  isRejection,
  mandatory,
  reject,
} from './errors';
import { type FaultSpec, Faults, refusal } from './faults';
import { DEFAULT_SYMBOLS, MarketData, type SymbolSpec, symbolInfo } from './market-data';
import { WeightMeter } from './weights';
import type { Params } from './order-rules';
import { type RequestRecord, RequestLog } from './request-log';

export type { RequestRecord } from './request-log';

export interface EmulatorOptions {
  /** 0 (default) picks a free port */
  port?: number;
  apiKey?: string;
  secret?: string;
  symbols?: readonly SymbolSpec[];
  /** starting free balances per asset (default 10,000 USDT); every listed market's assets appear, at 0 if not named */
  balances?: Record<string, number | string>;
  /** commission as a fraction (default 0.001 = 0.1%, binance's base spot rate) */
  commission?: number;
  /** how far back the flat starting price path reaches, so klines have history (default 2 days) */
  historyMs?: number;
  /** request weight allowed per minute, as binance counts it (default: unlimited); see weights.ts */
  weightLimit?: number;
}

export interface BinanceEmulator extends EmulatorControl {
  /** the origin to point ccxt at, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** sends every answer a 'delay' fault is holding now, in arrival order, instead of when its delay ends; how many */
  answerDelayedNow(): number;
  close(): Promise<void>;
}

type Handler = (p: Params) => Json | Rejection;
interface Route {
  signed: boolean;
  handler: Handler;
}

export const DEFAULT_API_KEY = 'emulatorApiKey0000000000000000000000000000000000000000000000000000';
export const DEFAULT_SECRET = 'emulatorSecret000000000000000000000000000000000000000000000000000';

export async function startBinanceEmulator(opts: EmulatorOptions = {}): Promise<BinanceEmulator> {
  const creds = { apiKey: opts.apiKey ?? DEFAULT_API_KEY, secret: opts.secret ?? DEFAULT_SECRET };
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const market = new MarketData({ symbols: opts.symbols ?? DEFAULT_SYMBOLS, now, historyMs: opts.historyMs ?? 2 * 86_400_000 });
  const book = new Book({ market, now, commission: unitsOf(opts.commission ?? 0.001) });
  for (const m of market.markets.values()) {
    book.balance(m.base);
    book.balance(m.quote);
  }
  for (const [asset, free] of Object.entries(opts.balances ?? { USDT: 10_000 })) book.balance(asset).free = unitsOf(free);
  const faults = new Faults();
  const meter = new WeightMeter(now, opts.weightLimit);
  const log = new RequestLog();
  const status = { maintenance: false };
  const routes = buildRoutes(book, market, now, status);
  const hanging = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  /** answers a 'delay' fault holds, by their timers */
  const delayed = new Map<NodeJS.Timeout, () => void>();

  const server: Server = createServer((req, res) => {
    // a body over 1 MiB, or a request the emulator cannot even parse, gets the socket closed
    readBody(req)
      .then((body) => serve(req, res, body))
      .catch(() => res.destroy());
  });

  function serve(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawQuery = url.search.slice(1);
    const params: Params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(body)) };
    const { signature: _omit, ...logged } = params;
    const record: RequestRecord = { ts: now(), method, path: url.pathname, params: logged };
    log.add(record);
    const send = (status: number, payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
      record.status = status;
      res.writeHead(status, { ...headers, 'x-mbx-used-weight-1m': String(meter.used()) });
      res.end(payload);
    };

    const fault = faults.take(method, url.pathname);
    if (fault) record.fault = fault.kind;
    if (fault && (fault.kind === '503' || fault.kind === '429' || fault.kind === '418' || fault.kind === 'error')) {
      const r = refusal(fault, now());
      send(r.status, r.body, r.headers);
      return;
    }
    if (fault?.kind === 'drop') {
      // lost on the way in: nothing is carried out and nothing comes back
      record.status = 0;
      unanswered(req, fault);
      return;
    }
    const route = routes.get(`${method} ${url.pathname}`);
    const over = route ? meter.charge(`${method} ${url.pathname}`, params) : {};
    if (over.retryAfterS !== undefined) {
      const r = refusal({ kind: '429', path: url.pathname, retryAfterS: over.retryAfterS }, now());
      send(r.status, r.body, r.headers);
      return;
    }
    let status = 200;
    let payload: string;
    if (!route) {
      status = 404;
      payload = `emulator has no route for ${method} ${url.pathname}`;
    } else {
      const denied = route.signed
        ? (checkSigned(req, rawQuery, body, params) ?? unreadParams(`${method} ${url.pathname}`, params))
        : undefined;
      let out: Json | Rejection;
      try {
        out = denied ?? route.handler(params);
      } catch (e) {
        // an emulator bug: answer like binance's -1000 and keep the reason where the test can read it
        record.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
        out = reject(-1000, 'An unknown error occurred while processing the request.', 500);
      }
      if (isRejection(out)) {
        status = out.status;
        payload = JSON.stringify({ code: out.code, msg: out.msg, ...(out.data ? { data: out.data } : {}) });
      } else payload = JSON.stringify(out);
    }
    const headers = { 'content-type': route ? 'application/json' : 'text/plain' };
    if (fault?.kind === 'lostAck') {
      // carried out, never acknowledged
      record.status = 0;
      unanswered(req, fault);
      return;
    }
    if (fault?.kind === 'delay') {
      const answer = () => {
        timers.delete(t);
        delayed.delete(t);
        if (!res.destroyed) send(status, payload, headers);
      };
      const t = setTimeout(answer, fault.delayMs ?? 1000);
      timers.add(t);
      delayed.set(t, answer);
      return;
    }
    send(status, payload, headers);
  }

  function unanswered(req: IncomingMessage, fault: FaultSpec): void {
    if (fault.mode === 'hang') hanging.add(req.socket);
    else req.socket.destroy();
  }

  /** binance's order of checks: the key, the signature over query string + body, then timestamp and recvWindow */
  function checkSigned(req: IncomingMessage, rawQuery: string, body: string, p: Params): Rejection | undefined {
    const key = req.headers['x-mbx-apikey'];
    if (typeof key !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(key)) return KEY_FORMAT();
    if (key !== creds.apiKey) return KEY_INVALID();
    if (!p.signature) return mandatory('signature');
    const payload = stripSignature(rawQuery) + stripSignature(body);
    const expected = createHmac('sha256', creds.secret).update(payload).digest('hex');
    if (p.signature.toLowerCase() !== expected) return BAD_SIGNATURE();
    const ts = Number(p.timestamp);
    if (!p.timestamp || !Number.isFinite(ts)) return mandatory('timestamp');
    const recvWindow = p.recvWindow === undefined ? 5000 : Number(p.recvWindow);
    if (!Number.isFinite(recvWindow) || recvWindow > 60_000) return RECV_WINDOW_TOO_BIG();
    const serverTime = now();
    if (ts >= serverTime + 1000) return AHEAD_OF_SERVER();
    if (serverTime - ts > recvWindow) return OUTSIDE_RECV_WINDOW();
    return undefined;
  }

  await new Promise<void>((resolve, reject_) => {
    server.once('error', reject_);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const control = createControl({ book, market, faults, log, creds, clock, meter, status });
  return {
    ...control,
    url: `http://127.0.0.1:${port}`,
    port,
    answerDelayedNow() {
      const due = [...delayed];
      for (const [t, answer] of due) {
        clearTimeout(t);
        answer();
      }
      return due.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        log.close();
        for (const t of timers) clearTimeout(t);
        for (const s of hanging) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function stripSignature(s: string): string {
  return s
    .split('&')
    .filter((kv) => kv !== '' && !kv.startsWith('signature='))
    .join('&');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject_) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1 << 20) {
        reject_(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject_);
  });
}

function buildRoutes(book: Book, market: MarketData, now: () => number, status: { maintenance: boolean }): Map<string, Route> {
  const pub = (handler: Handler): Route => ({ signed: false, handler });
  const signed = (handler: Handler): Route => ({ signed: true, handler });
  const exchangeInfo = (p: Params): Json | Rejection => {
    let ids = [...market.markets.keys()];
    if (p.symbol) ids = [p.symbol];
    if (p.symbols) ids = JSON.parse(p.symbols) as string[];
    if (ids.some((id) => !market.market(id))) return INVALID_SYMBOL();
    return {
      timezone: 'UTC',
      serverTime: now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      ],
      exchangeFilters: [],
      symbols: ids.map((id) => symbolInfo(market.market(id) as NonNullable<ReturnType<MarketData['market']>>)),
    };
  };
  const klines = (p: Params): Json | Rejection => {
    if (!p.symbol) return mandatory('symbol');
    if (!market.market(p.symbol)) return INVALID_SYMBOL();
    if (!p.interval) return mandatory('interval');
    const limit = p.limit === undefined ? 500 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reject(-1130, "Data sent for parameter 'limit' is not valid.");
    const rows = market.klines({
      id: p.symbol,
      interval: p.interval,
      limit,
      ...(p.startTime !== undefined ? { startTime: Number(p.startTime) } : {}),
      ...(p.endTime !== undefined ? { endTime: Number(p.endTime) } : {}),
    });
    return rows ?? reject(-1120, 'Invalid interval.');
  };
  const ticker = (p: Params): Json | Rejection => {
    if (!p.symbol) return [...market.markets.keys()].map((id) => market.ticker24hr(id));
    return market.market(p.symbol) ? market.ticker24hr(p.symbol) : INVALID_SYMBOL();
  };
  const price = (p: Params): Json | Rejection => {
    const one = (id: string) => ({ symbol: id, price: (market.ticker24hr(id) as { lastPrice: string }).lastPrice });
    if (!p.symbol) return [...market.markets.keys()].map(one);
    return market.market(p.symbol) ? one(p.symbol) : INVALID_SYMBOL();
  };
  const tradeFees = (p: Params): Json | Rejection => {
    if (p.symbol && !market.market(p.symbol)) return INVALID_SYMBOL();
    const rate = formatUnits(book.commission);
    const ids = p.symbol ? [p.symbol] : [...market.markets.keys()];
    return ids.map((symbol) => ({ symbol, makerCommission: rate, takerCommission: rate }));
  };
  // what ccxt's loadMarkets asks for unless options.fetchMarkets / fetchCurrencies / fetchMargins restrict it:
  // coins from the balances, no futures, no margin pairs
  const noFutures = () => ({ timezone: 'UTC', serverTime: now(), rateLimits: [], exchangeFilters: [], symbols: [] });
  return new Map<string, Route>([
    ['GET /api/v3/ping', pub(() => ({}))],
    ['GET /api/v3/time', pub(() => ({ serverTime: now() }))],
    ['GET /api/v3/exchangeInfo', pub(exchangeInfo)],
    ['GET /api/v3/klines', pub(klines)],
    ['GET /api/v3/uiKlines', pub(klines)],
    ['GET /api/v3/ticker/24hr', pub(ticker)],
    ['GET /api/v3/ticker/price', pub(price)],
    ['GET /fapi/v1/exchangeInfo', pub(noFutures)],
    ['GET /dapi/v1/exchangeInfo', pub(noFutures)],
    ['GET /sapi/v1/capital/config/getall', signed(() => book.coinsJson())],
    [
      'GET /sapi/v1/system/status',
      pub(() => (status.maintenance ? { status: 1, msg: 'system_maintenance' } : { status: 0, msg: 'normal' })),
    ],
    ['GET /sapi/v1/asset/tradeFee', signed((p) => tradeFees(p))],
    ['GET /sapi/v1/margin/allPairs', signed(() => [])],
    ['GET /sapi/v1/margin/isolated/allPairs', signed(() => [])],
    ['GET /api/v3/account', signed((p) => book.accountJson(p.omitZeroBalances === 'true'))],
    ['POST /api/v3/order', signed((p) => book.placeOrder(p))],
    ['POST /api/v3/order/test', signed((p) => book.testOrder(p))],
    ['POST /api/v3/order/cancelReplace', signed((p) => cancelReplace(book, p))],
    ['GET /api/v3/order', signed((p) => q.getOrder(book, p))],
    ['DELETE /api/v3/order', signed((p) => q.cancelOrder(book, p))],
    ['GET /api/v3/openOrders', signed((p) => q.openOrders(book, p))],
    ['DELETE /api/v3/openOrders', signed((p) => q.cancelOpenOrders(book, p))],
    ['GET /api/v3/allOrders', signed((p) => q.allOrders(book, p))],
    ['GET /api/v3/myTrades', signed((p) => q.myTrades(book, p))],
    ['POST /api/v3/orderList/oco', signed((p) => placeOco(book, p, false))],
    ['POST /api/v3/order/oco', signed((p) => placeOco(book, p, true))],
    ['GET /api/v3/orderList', signed((p) => q.getOrderList(book, p))],
    ['DELETE /api/v3/orderList', signed((p) => q.cancelOrderList(book, p))],
    ['GET /api/v3/openOrderList', signed(() => q.openOrderLists(book))],
  ]);
}
