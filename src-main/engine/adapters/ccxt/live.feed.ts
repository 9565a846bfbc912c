import type { Exchange, OHLCV } from 'ccxt';
import { CONNECTION_LOG_FIELD, TIMEFRAME_MS, type Candle, type Timeframe } from '../../../../src-shared/contract';
import type { Logger } from '../../log/logger';
import type { MarketFeed } from '../../ports/market-feed.port';
import { errorLine } from '../../log/redact';
import { readWithRetries } from './read-retry';

export interface LiveFeedOptions {
  exchange: Exchange;
  symbol: string;
  timeframe: Timeframe;
  logger: Logger;
  /** closed candles loaded at start to warm the strategy and fill the chart */
  warmup: number;
  /** how long after a candle's close to ask for it: exchanges finalise a candle a moment after its close */
  settleMs?: number;
  /** wall clock; the exchange's clock is this plus the offset measured at start */
  now?: () => number;
}

/** after this many failed polls in a row the log says so at error level (the data is stale) */
const FAILURES_REPORTED = 5;
const PAGE = 1000;

/**
 * Closed candles of a live market through ccxt's fetchOHLCV, polled just after each candle closes by the exchange's
 * clock. A poll asks for everything after the newest candle it has, so an outage is back-filled in order when the
 * exchange answers again; a candle still forming is never handed over. Candles the bot missed while it was down warm
 * the strategy (history) but are not traded.
 */
export class LiveFeed implements MarketFeed {
  readonly kind = 'live' as const;
  readonly description: string;
  private readonly tfMs: number;
  private readonly now: () => number;
  private readonly ready: Candle[] = [];
  private warm: Candle[] = [];
  /** open time of the newest closed candle received */
  private newest = -Infinity;
  private clockOffsetMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private lastClose = NaN;
  private readonly readyListeners: (() => void)[] = [];

  constructor(private readonly o: LiveFeedOptions) {
    this.tfMs = TIMEFRAME_MS[o.timeframe];
    this.now = o.now ?? Date.now;
    this.description = `live ${o.symbol} ${o.timeframe} candles from ${o.exchange.id}`;
  }

  get referencePrice(): number {
    return this.lastClose;
  }

  /** the exchange's time now */
  exchangeNow(): number {
    return this.now() + this.clockOffsetMs;
  }

  /** measure the exchange's clock, load the warm-up history, then poll on every candle close */
  async start(): Promise<void> {
    const { exchange } = this.o;
    if (exchange.has.fetchTime) {
      const sent = this.now();
      const serverTime = await this.read(() => exchange.fetchTime());
      if (typeof serverTime === 'number') this.clockOffsetMs = serverTime - (sent + this.now()) / 2;
    }
    const since = this.exchangeNow() - (this.o.warmup + 1) * this.tfMs;
    const rows = await this.fetchClosed(since, this.o.warmup + 2);
    this.warm = rows.slice(-this.o.warmup);
    this.remember(this.warm);
    if (!this.warm.length) throw new Error(`${exchange.id} returned no ${this.o.symbol} ${this.o.timeframe} candles`);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  seek(): void {
    // a live market resumes at now: what happened while the bot was down is history, not a signal to act on
  }

  history(n: number): Candle[] {
    return this.warm.slice(-n);
  }

  next(): Candle | null {
    return this.ready.shift() ?? null;
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  private schedule(delayMs = this.untilNextClose()): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), Math.max(0, delayMs));
    this.timer.unref?.();
  }

  private untilNextClose(): number {
    const t = this.exchangeNow();
    return (Math.floor(t / this.tfMs) + 1) * this.tfMs - t + (this.o.settleMs ?? 1500);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      const fresh = await this.fetchClosed(this.newest + this.tfMs, PAGE);
      const behind = this.failures;
      this.failures = 0;
      this.remember(fresh);
      this.ready.push(...fresh);
      if (fresh.length) for (const l of this.readyListeners) l();
      // back after an outage the log called lost: say so in a way monitors can key on
      if (behind)
        this.o.logger.info(
          `market data is back after ${behind} failed poll(s); ${fresh.length} candle(s) fetched`,
          behind >= FAILURES_REPORTED ? { [CONNECTION_LOG_FIELD]: 'restored' } : undefined,
        );
      // a full page means more are waiting (a long outage): ask again at once; a candle not final yet: ask again soon
      const expected = Math.floor(this.exchangeNow() / this.tfMs) * this.tfMs - this.tfMs;
      this.schedule(fresh.length === PAGE ? 0 : this.newest < expected ? 2000 : undefined);
    } catch (e) {
      this.failures++;
      const log = this.failures === FAILURES_REPORTED ? this.o.logger.error : this.o.logger.warn;
      log.call(
        this.o.logger,
        `market data poll failed (${this.failures} in a row): ${errorLine(e)}`,
        this.failures === FAILURES_REPORTED ? { [CONNECTION_LOG_FIELD]: 'lost' } : undefined,
      );
      this.schedule(Math.min(30_000, 1000 * 2 ** Math.min(this.failures, 5)));
    }
  }

  /** closed candles opening at or after `since`, oldest first, each once */
  private async fetchClosed(since: number, limit: number): Promise<Candle[]> {
    const { exchange, symbol, timeframe } = this.o;
    const rows: OHLCV[] = await this.read(() => exchange.fetchOHLCV(symbol, timeframe, Math.floor(since), limit));
    const closedBefore = this.exchangeNow();
    const out: Candle[] = [];
    let last = this.newest;
    for (const [ts, open, high, low, close, volume] of rows) {
      if (typeof ts !== 'number' || ts <= last || ts + this.tfMs > closedBefore) continue;
      if (![open, high, low, close].every((v) => typeof v === 'number' && v > 0)) continue;
      out.push({ ts, open: open as number, high: high as number, low: low as number, close: close as number, volume: Number(volume ?? 0) });
      last = ts;
    }
    return out;
  }

  private remember(candles: readonly Candle[]): void {
    const last = candles[candles.length - 1];
    if (!last) return;
    this.newest = last.ts;
    this.lastClose = last.close;
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    return readWithRetries({
      exchange: this.o.exchange,
      read: fn,
      attempts: 3,
      onRetry: (e, attempt, wait) =>
        this.o.logger.debug(`${this.o.exchange.id} read failed (try ${attempt}), again in ${wait} ms: ${errorLine(e)}`),
    });
  }
}
