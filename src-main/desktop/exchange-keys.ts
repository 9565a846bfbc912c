import { readFileSync, statSync } from 'node:fs';
import type { ExchangeCredentials } from '../engine/adapters/ccxt/open-exchange';
import { EnvError } from '../operations/env-error';

/**
 * BOT_EXCHANGE_KEY_FILE: `{"apiKey": "...", "secret": "..."}`, readable by its owner only (mode 0600), so another user
 * of the machine cannot trade with it. Anything else is one line at start, and the key never appears in it.
 */
export function readExchangeKeys(path: string | undefined): ExchangeCredentials {
  if (!path)
    throw new EnvError(
      'BOT_MODE=live needs exchange keys: set BOT_EXCHANGE_KEY_FILE to a file holding {"apiKey": "...", "secret": "..."} (mode 0600). Keys are never taken from the command line.',
    );
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (e) {
    throw new EnvError(`BOT_EXCHANGE_KEY_FILE=${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new EnvError(
      `BOT_EXCHANGE_KEY_FILE=${path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run "chmod 600 ${path}" first.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new EnvError(`BOT_EXCHANGE_KEY_FILE=${path} is not JSON; it must hold {"apiKey": "...", "secret": "..."}.`);
  }
  const k = json as Partial<Record<'apiKey' | 'secret', unknown>>;
  const ok = (v: unknown): v is string => typeof v === 'string' && v.trim().length >= 8;
  if (!json || typeof json !== 'object' || !ok(k.apiKey) || !ok(k.secret)) {
    throw new EnvError(`BOT_EXCHANGE_KEY_FILE=${path} must hold {"apiKey": "...", "secret": "..."} with both strings set.`);
  }
  return { apiKey: k.apiKey.trim(), secret: k.secret.trim() };
}
