import type { Exchange } from 'ccxt';
import { ccxtErrors as ccxt } from './ccxt-module';

/**
 * The exchange refused our key. binance answers -2015 for a key that is invalid, revoked or lacks a permission, and
 * ccxt reports it as DDoSProtection once the key has worked before (binance also uses it for a temporary ban):
 * retrying cannot help either way, and trading must stop with the reason.
 */
export function keyRefused(e: unknown): boolean {
  if (e instanceof ccxt.AuthenticationError || e instanceof ccxt.PermissionDenied) return true;
  return e instanceof ccxt.DDoSProtection && /"code":\s*-2015\b/.test(String((e as Error).message));
}

/** How long to wait before trying a read again after `e`, or null when trying again cannot help. */
export function retryDelayMs(e: unknown, attempt: number, exchange: Exchange, maxMs = 30_000): number | null {
  const backoff = Math.min(maxMs, 500 * 2 ** attempt);
  if (keyRefused(e)) return null;
  if (e instanceof ccxt.DDoSProtection || e instanceof ccxt.RateLimitExceeded) {
    // the exchange says how long: honour it (Retry-After, seconds), never less than our own backoff
    const header = Number(exchange.last_response_headers?.['retry-after'] ?? exchange.last_response_headers?.['Retry-After']);
    return Math.min(maxMs * 4, Math.max(backoff * 2, Number.isFinite(header) ? header * 1000 : 0));
  }
  if (e instanceof ccxt.NetworkError) return backoff; // RequestTimeout, ExchangeNotAvailable, a dropped connection…
  return null; // AuthenticationError, BadSymbol, ExchangeError…: the same request fails the same way
}

/**
 * A read (candles, balances, orders) with retries and backoff on network trouble and rate limits. Never use it for
 * placing an order: a placement whose answer was lost is resolved by looking it up, not by sending it again.
 */
export async function readWithRetries<T>(o: {
  exchange: Exchange;
  read: () => Promise<T>;
  attempts?: number;
  onRetry?: (e: unknown, attempt: number, waitMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}): Promise<T> {
  const attempts = o.attempts ?? 4;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await o.read();
    } catch (e) {
      const wait = attempt + 1 < attempts ? retryDelayMs(e, attempt, o.exchange) : null;
      if (wait === null) throw e;
      o.onRetry?.(e, attempt + 1, wait);
      await sleep(wait);
    }
  }
}
