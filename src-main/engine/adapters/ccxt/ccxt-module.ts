import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Ccxt from 'ccxt';

/**
 * ccxt one file at a time. `import 'ccxt'` loads every exchange it knows (~50 MB more resident than one, measured by
 * `npm run bench -- memory`), and its package exports only that entry; so the class in use is imported from its own
 * file of ccxt's ES module build (js/src/<id>.js), the files the whole library is made of. The classes are the same
 * objects either way: a test or tool that imports all of ccxt meets the bot's errors as its own.
 */
const SOURCES = join(dirname(dirname(createRequire(import.meta.url).resolve('ccxt'))), 'js', 'src');
const fileUrl = (...parts: string[]) => pathToFileURL(join(SOURCES, ...parts)).href;

export type ExchangeClass = new (config: object) => Ccxt.Exchange;

/** ccxt's error classes the adapter tells apart (instanceof works: they are the classes the exchange throws) */
export const ccxtErrors: Pick<
  typeof Ccxt,
  | 'AuthenticationError'
  | 'PermissionDenied'
  | 'DDoSProtection'
  | 'RateLimitExceeded'
  | 'NetworkError'
  | 'InsufficientFunds'
  | 'InvalidOrder'
  | 'OrderImmediatelyFillable'
  | 'BadRequest'
  | 'BadSymbol'
  | 'InvalidNonce'
  | 'OrderNotFound'
> = await import(fileUrl('base', 'errors.js'));

/** the class of ccxt exchange `id` (binance, kraken…), or null when ccxt has no such exchange */
export async function loadExchangeClass(id: string): Promise<ExchangeClass | null> {
  // every file directly in js/src is one exchange, named by its id
  if (!/^[a-z][a-z0-9]*$/.test(id) || !existsSync(join(SOURCES, `${id}.js`))) return null;
  const mod = (await import(fileUrl(`${id}.js`))) as { default?: unknown };
  return typeof mod.default === 'function' ? (mod.default as ExchangeClass) : null;
}
