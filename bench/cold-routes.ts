// The cold-reads bench's routes (bench/cold-reads.bench.ts, and bench/cold-reads.profile.ts for profiling one of them).
import { join } from 'node:path';
import { openDatabase } from '../src-main/engine/adapters/sqlite/sql-driver';
import { encodeTradeCursor } from '../src-main/operations/trade-cursor';

export const FIVE_MINUTES = 300_000;

/** A route whose every request asks for something else: `next(i)` is the path of the i-th request. */
export interface ColdRoute {
  name: string;
  next(i: number): string;
}

/** a stride coprime with any size a round reaches, so consecutive requests land far apart in the history */
const STRIDE = 7919;

/** The pages a client pages through, each request another one (a new cursor, a new window, another level). */
export function coldRoutes(dataDir: string, firstTs: number, lastTs: number): ColdRoute[] {
  const db = openDatabase(join(dataDir, 'botdesk.sqlite'), { readonly: true });
  let keys: { exit_time: number; id: number }[];
  try {
    keys = db.prepare(`SELECT exit_time, id FROM trades ORDER BY exit_time DESC, id DESC`).all() as typeof keys;
  } finally {
    db.close();
  }
  const key = (i: number) => keys[(i * STRIDE) % keys.length];
  const span = lastTs - firstTs;
  // 500 candles' worth of time: answered from the per-candle rows
  const narrow = Math.min(span, 499 * FIVE_MINUTES);
  const levels = ['debug', 'info', 'warn', 'error'];
  return [
    { name: 'status (baseline)', next: () => '/api/v1/bot/status' },
    { name: 'trades, a new cursor', next: (i) => `/api/v1/bot/trades?limit=100&cursor=${encodeTradeCursor(key(i), {})}` },
    {
      name: 'trades, a new from/to',
      next: (i) => {
        const [a, b] = [key(i).exit_time, key(i + 1).exit_time].sort((x, y) => x - y);
        return `/api/v1/bot/trades?limit=100&from=${a}&to=${b + i}`;
      },
    },
    {
      name: 'equity, 500 candles',
      next: (i) => {
        const from = firstTs + (((i * STRIDE) % 1000) / 1000) * (span - narrow);
        return `/api/v1/bot/equity?limit=500&from=${Math.floor(from)}&to=${Math.floor(from) + narrow}`;
      },
    },
    {
      name: 'equity, a wide window',
      next: (i) => `/api/v1/bot/equity?limit=500&from=${firstTs + (i % 1000)}&to=${lastTs - ((i * STRIDE) % 1000)}`,
    },
    { name: 'logs, 100 lines', next: (i) => `/api/v1/bot/logs?level=${levels[i % 2]}&limit=${100 + (i % 7)}` },
  ];
}
