import type { Exchange } from 'ccxt';
import { loadExchangeClass } from './ccxt-module';
import { pointExchangeAt } from './exchange-origin';
import { addSecret, errorLine } from '../../log/redact';

export interface ExchangeSpec {
  /** ccxt exchange id, e.g. binance */
  id: string;
  /** the exchange's testnet */
  sandbox: boolean;
  /** BOT_EXCHANGE_API_URL: every REST origin replaced (a proxy, or the emulator in tests) */
  apiUrl?: string;
}

/** trading keys: held by the ccxt instance in the main process, never logged, never returned */
export interface ExchangeCredentials {
  apiKey: string;
  secret: string;
}

/** A start-up problem with the exchange: one line, nothing half-started. */
export class ExchangeSetupError extends Error {}

/**
 * A ccxt exchange for public market data, with its markets loaded. ccxt is loaded here and only here (the class of
 * the exchange in use, not the whole library), so a paper bot on recorded candles never pays for it.
 */
export async function openExchange(spec: ExchangeSpec, credentials?: ExchangeCredentials): Promise<Exchange> {
  const exchange = await newClient(spec, credentials);
  try {
    await exchange.loadMarkets();
  } catch (e) {
    throw new ExchangeSetupError(`could not load ${spec.id}'s markets: ${errorLine(e)}`);
  }
  return exchange;
}

/**
 * A second client on the same account for reads asked from outside the bot (GET /bot/balances): ccxt's rate limiter
 * is a queue per client, so reads queued on the trading client would hold the bot's orders back behind them (a
 * binance account read costs 4 of its 50 ms slots: 2,000 of them are 400 s of queue). It shares `from`'s loaded
 * markets and clock offset, so making it sends nothing.
 */
export async function openReadClient(spec: ExchangeSpec, credentials: ExchangeCredentials | undefined, from: Exchange): Promise<Exchange> {
  const exchange = await newClient(spec, credentials);
  exchange.setMarketsFromExchange(from);
  exchange.options.timeDifference = from.options.timeDifference;
  return exchange;
}

async function newClient(spec: ExchangeSpec, credentials?: ExchangeCredentials): Promise<Exchange> {
  // the one place keys meet ccxt: from here no error text, log line or event can show them
  if (credentials) {
    addSecret(credentials.apiKey);
    addSecret(credentials.secret);
  }
  const Ctor = await loadExchangeClass(spec.id);
  if (!Ctor) {
    throw new ExchangeSetupError(`BOT_EXCHANGE=${spec.id} is not an exchange ccxt knows (e.g. binance, kraken, okx, bybit).`);
  }
  const exchange = new Ctor({
    ...(credentials ? { apiKey: credentials.apiKey, secret: credentials.secret } : {}),
    enableRateLimit: true,
    // ccxt's default limiter (a leaky bucket of one request) never credits idle time: a request waits out the cost of
    // the one before it even a minute later, and the candle at a close and the order after it each paid ~20-60 ms so.
    // Counting the cost over the last minute keeps the same average rate (60 s / rateLimit units a minute: binance's
    // own rule is weight per minute) while letting the few requests of a close go at once
    rateLimiterAlgorithm: 'rollingWindow',
    rollingWindowSize: 60_000,
    timeout: 10_000,
    // spot markets only: loadMarkets then makes one call instead of also asking the futures and margin endpoints
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      // signed requests carry the exchange's time, not a drifting local clock (binance refuses a timestamp outside recvWindow)
      adjustForTimeDifference: true,
    },
  });
  if (spec.sandbox) {
    if (!exchange.urls.test) throw new ExchangeSetupError(`${spec.id} has no testnet in ccxt; unset BOT_EXCHANGE_SANDBOX.`);
    exchange.setSandboxMode(true);
  }
  if (spec.apiUrl) {
    let rewritten: number;
    try {
      rewritten = pointExchangeAt(exchange as unknown as { urls: Record<string, unknown> }, spec.apiUrl);
    } catch (e) {
      throw new ExchangeSetupError(
        `BOT_EXCHANGE_API_URL=${spec.apiUrl} is not an origin such as http://127.0.0.1:9000 (${(e as Error).message}).`,
      );
    }
    if (rewritten === 0)
      throw new ExchangeSetupError(
        `BOT_EXCHANGE_API_URL could not be applied to ${spec.id}: its URLs are not where ccxt usually keeps them.`,
      );
  }
  return exchange;
}
