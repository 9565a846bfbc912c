import type { Exchange } from 'ccxt';
import { TIMEFRAME_MS, type Timeframe } from '../../../src-shared/contract';
import type { CandleRow, CandleStore } from './candle-store';
import { uncovered, type Run } from './gap-runs';

/** binance answers at most 1,000 klines a request */
export const PAGE_LIMIT = 1000;

export interface DownloadSpec {
  setId: number;
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
}

export interface RetryPolicy {
  /** attempts of one page before the download fails */
  attempts: number;
  /** wait before the first retry; doubles each time */
  baseMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 1000 };

export interface DownloadOutcome {
  added: number;
  requests: number;
}

/** the part of a ccxt exchange a download uses */
type OhlcvSource = Pick<Exchange, 'fetchOHLCV'>;

/** a network fault worth another try (ccxt NetworkError: timeouts, 5xx, rate limits), not an exchange's refusal */
function isTransient(e: unknown): boolean {
  for (let c = (e as object | null)?.constructor; c && c !== Object; c = Object.getPrototypeOf(c) as typeof c) {
    if ((c as { name?: string }).name === 'NetworkError') return true;
  }
  return false;
}

/**
 * Fetch what a set lacks in [from, to] page by page (ccxt fetchOHLCV with since/limit, its rate limiter on). Each page
 * is kept with the span it covered in one transaction, so a download stopped anywhere (network, cancel, kill -9)
 * resumes at the first open time not yet covered: no candle twice, none missed. Candles still forming are never kept.
 */
export async function downloadCandles(o: {
  exchange: OhlcvSource;
  store: CandleStore;
  spec: DownloadSpec;
  now: () => number;
  retry?: RetryPolicy;
  onProgress?: (done: number) => void;
  cancelled?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}): Promise<DownloadOutcome> {
  const { spec, store } = o;
  const step = TIMEFRAME_MS[spec.timeframe];
  const retry = o.retry ?? DEFAULT_RETRY;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const first = Math.ceil(spec.from / step) * step;
  // the newest candle that has closed: the one forming now would change after it was kept
  const lastClosed = Math.floor(o.now() / step) * step - step;
  const last = Math.min(Math.floor(spec.to / step) * step, lastClosed);
  const missing: Run[] = last >= first ? uncovered(first, last, store.coverage(spec.setId), step) : [];
  const total = missing.reduce((s, [a, b]) => s + (b - a + step), 0);
  let done = 0;
  let added = 0;
  let requests = 0;
  for (const [start, end] of missing) {
    let cursor = start;
    while (cursor <= end) {
      if (o.cancelled?.()) return { added, requests };
      let page: number[][] = [];
      for (let attempt = 1; ; attempt++) {
        requests++;
        try {
          page = (await o.exchange.fetchOHLCV(spec.symbol, spec.timeframe, cursor, PAGE_LIMIT)) as number[][];
          break;
        } catch (e) {
          if (!isTransient(e) || attempt >= retry.attempts) throw e;
          await sleep(retry.baseMs * 2 ** (attempt - 1));
          if (o.cancelled?.()) return { added, requests };
        }
      }
      if (page.length > 0 && page[page.length - 1][0] < cursor)
        throw new Error(
          `${spec.symbol} ${spec.timeframe}: the exchange answered candles before the time asked for (it does not page by since)`,
        );
      if (page.some((r) => r[0] % step !== 0))
        throw new Error(`${spec.symbol} ${spec.timeframe}: the exchange's candles do not open on the ${spec.timeframe} grid (UTC)`);
      const rows = page.filter((r) => r[0] >= cursor && r[0] <= end).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5] ?? 0] as CandleRow); // some exchanges send no volume
      // an empty answer: the exchange has nothing from the cursor to the end of this span
      const coveredTo = rows.length > 0 ? rows[rows.length - 1][0] : end;
      added += store.write(spec.setId, rows, [cursor, coveredTo]);
      done += coveredTo - cursor + step;
      cursor = coveredTo + step;
      o.onProgress?.(total === 0 ? 1 : done / total);
    }
  }
  return { added, requests };
}
