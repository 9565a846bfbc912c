import { ServiceError } from '../../src-shared/contract';
import type { TradeKey, TradeWindow } from '../engine/adapters/sqlite/history-tables';

/**
 * The trades cursor: opaque to clients (base64url), it holds the keyset position (exit_time, id of the page's last
 * trade) and the window it was made for, so a cursor sent with another from/to is refused instead of paging a
 * different list.
 */
export function encodeTradeCursor(key: TradeKey, window: { from?: number; to?: number }): string {
  return Buffer.from(`t1:${key.exit_time}:${key.id}:${window.from ?? ''}:${window.to ?? ''}`).toString('base64url');
}

const invalid = (why: string) => new ServiceError(400, 'Invalid query parameters: cursor.', { cursor: why });

export function decodeTradeCursor(cursor: string, window: { from?: number; to?: number }): TradeKey {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const num = (s: string) => (/^-?\d{1,16}$/.test(s) ? Number(s) : NaN);
  if (parts.length !== 5 || parts[0] !== 't1' || !Number.isSafeInteger(num(parts[1])) || !Number.isSafeInteger(num(parts[2]))) {
    throw invalid('must be a cursor returned by an earlier page');
  }
  const same = (s: string, v: number | undefined) => (s === '' ? v === undefined : num(s) === v);
  if (!same(parts[3], window.from) || !same(parts[4], window.to)) {
    throw invalid('was made for a different from/to; send the same from and to as the first page, or start again without a cursor');
  }
  return { exit_time: num(parts[1]), id: num(parts[2]) };
}

/** GET /bot/trades' query as the store's window (the cursor decoded and held to the same from/to) */
export function tradeWindowOf(q: { from?: number; to?: number; limit: number; cursor?: string }): TradeWindow {
  const { from, to, limit, cursor } = q;
  return { from, to, limit, after: cursor === undefined ? undefined : decodeTradeCursor(cursor, { from, to }) };
}

/** the cursor of the page after one that ended at `next` (null: it was the last) */
export const nextTradeCursor = (next: TradeKey | null, window: { from?: number; to?: number }): string | null =>
  next ? encodeTradeCursor(next, window) : null;
