import type { Exchange, OHLCV } from 'ccxt';
import { CONNECTION_LOG_FIELD, TIMEFRAME_MS, type Candle, type Timeframe } from '../../../../src-shared/contract';
import type { Logger } from '../../log/logger';
import type { MarketFeed } from '../../ports/market-feed.port';
import { errorLine } from '../../log/redact';
import { ExchangeClock } from './exchange-clock';
import { readWithRetries } from './read-retry';

export interface LiveFeedOptions {
  exchange: Exchange;
  symbol: string;
  timeframe: Timeframe;
  logger: Logger;
  /** closed candles loaded at start to warm the strategy and fill the chart */
  warmup: number;
  /** wall clock; the exchange's clock is this plus the offset measured with fetchTime */
  now?: () => number;
  /** how long before each close the feed says it is asking (onAsking), so readers can go quiet first (default 200 ms) */
  askingLeadMs?: number;
}

/** after this many failed polls in a row the log says so at error level (the data is stale) */
const FAILURES_REPORTED = 5;
const PAGE = 1000;
/** the longest wait between two asks for a candle the exchange does not show as closed yet */
const RETRY_CAP_MS = 2000;
/** how long after a close the feed keeps asking for its candle; past that the next close's ask back-fills it */
const RETRY_WINDOW_MS = 60_000;
/**
 * the order path (onAsking) starts this long before the close: a loop still busy with reads at the close would fire
 * the close's timer late and take the candle's answer behind them; this long is enough for it to go quiet first
 */
const ASKING_LEAD_MS = 200;

/** what one fetchOHLCV answer says */
interface Answer {
  /** closed candles newer than the newest held, oldest first */
  closed: Candle[];
  /** open time of a newer candle the exchange sent without saying it closed (the last row), else null */
  unsure: number | null;
  /** the answer filled the page: more are waiting (a long outage) */
  full: boolean;
}

/**
 * Closed candles of a live market through ccxt's fetchOHLCV, asked for the moment each candle closes by the
 * exchange's clock, then again (backing off from the exchange's own rate limit) until the exchange shows it closed. A
 * candle still forming is never handed over: a row counts as closed when the exchange sends a later candle beside it
 * (binance and most exchanges send the forming one), or when the exchange's clock, asked just before, had passed its
 * close (exchanges that skip a candle without trades). A poll asks for everything after the newest candle it has, so
 * an outage is back-filled in order. Candles the bot missed while it was down warm the strategy (history) but are not
 * traded.
 */
export class LiveFeed implements MarketFeed {
  readonly kind = 'live' as const;
  readonly description: string;
  private readonly tfMs: number;
  private readonly clock: ExchangeClock;
  private readonly ready: Candle[] = [];
  private warm: Candle[] = [];
  /** open time of the newest closed candle received */
  private newest = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private leadTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  /** asks since the close for a candle the exchange did not show closed yet */
  private retries = 0;
  private lastClose = NaN;
  private readonly readyListeners: (() => void)[] = [];
  private readonly askingListeners: ((asking: boolean) => void)[] = [];
  /** between the close and the candle handed over (or given up on until the next close) */
  private asking = false;

  constructor(private readonly o: LiveFeedOptions) {
    this.tfMs = TIMEFRAME_MS[o.timeframe];
    this.clock = new ExchangeClock(o.exchange, o.now ?? Date.now);
    this.description = `live ${o.symbol} ${o.timeframe} candles from ${o.exchange.id}`;
  }

  get referencePrice(): number {
    return this.lastClose;
  }

  /** the exchange's time now */
  exchangeNow(): number {
    return this.clock.now();
  }

  /** measure the exchange's clock, load the warm-up history, then poll on every candle close */
  async start(): Promise<void> {
    const serverTime = await this.clock.sync(this.read, 3);
    const since = this.clock.now() - (this.o.warmup + 1) * this.tfMs;
    const { closed } = await this.fetchClosed(since, this.o.warmup + 2, serverTime);
    this.warm = closed.slice(-this.o.warmup);
    this.remember(this.warm);
    if (!this.warm.length) throw new Error(`${this.o.exchange.id} returned no ${this.o.symbol} ${this.o.timeframe} candles`);
    this.scheduleClose();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.leadTimer) clearTimeout(this.leadTimer);
    this.timer = null;
    this.leadTimer = null;
    this.setAsking(false);
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

  onAsking(listener: (asking: boolean) => void): void {
    this.askingListeners.push(listener);
  }

  private setAsking(on: boolean): void {
    if (this.asking === on) return;
    this.asking = on;
    for (const l of this.askingListeners) l(on);
  }

  private schedule(delayMs = this.untilNextClose()): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), Math.max(0, delayMs));
    this.timer.unref?.();
  }

  /** the next ask at the next close, the order path said to start a little before it */
  private scheduleClose(): void {
    if (this.stopped) return;
    const delay = this.untilNextClose();
    this.schedule(delay);
    if (this.leadTimer) clearTimeout(this.leadTimer);
    this.leadTimer = setTimeout(() => this.setAsking(true), Math.max(0, delay - (this.o.askingLeadMs ?? ASKING_LEAD_MS)));
    this.leadTimer.unref?.();
  }

  /**
   * until the next close by the exchange's clock. Asked then, the request reaches the exchange a one-way trip later,
   * which covers what our estimate of its clock may be off by (half a round trip); an ask that is early all the same
   * gets the forming candle and tries again.
   */
  private untilNextClose(): number {
    const t = this.clock.now();
    return (Math.floor(t / this.tfMs) + 1) * this.tfMs - t;
  }

  /** rateLimit (the exchange's least spacing between requests, in ccxt) doubled every second ask, capped */
  private retryDelay(): number {
    const step = Math.max(10, this.o.exchange.rateLimit || 50);
    return Math.min(RETRY_CAP_MS, step * 2 ** Math.floor(this.retries++ / 2));
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    this.setAsking(true);
    try {
      const answer = await this.fetchClosed(this.newest + this.tfMs, PAGE);
      let fetched = this.take(answer.closed);
      if (!answer.full && answer.unsure !== null && answer.unsure + this.tfMs <= this.clock.now() && this.clock.canAsk) {
        // the newest candle sent has no later one beside it although our clock says it closed: our clock may have
        // drifted, or the exchange skips candles without trades. Only the exchange's clock can tell: ask it (which also
        // corrects ours), and if the close has passed there, ask for the candle again — that answer is from after it
        const serverTime = await this.clock.sync(this.read);
        if (serverTime !== null && answer.unsure + this.tfMs <= serverTime)
          fetched += this.take((await this.fetchClosed(this.newest + this.tfMs, PAGE, serverTime)).closed);
      }
      const behind = this.failures;
      this.failures = 0;
      if (fetched) for (const l of this.readyListeners) l();
      // back after an outage the log called lost: say so in a way monitors can key on
      if (behind)
        this.o.logger.info(
          `market data is back after ${behind} failed poll(s); ${fetched} candle(s) fetched`,
          behind >= FAILURES_REPORTED ? { [CONNECTION_LOG_FIELD]: 'restored' } : undefined,
        );
      this.scheduleAfter(answer.full);
    } catch (e) {
      this.failures++;
      const log = this.failures === FAILURES_REPORTED ? this.o.logger.error : this.o.logger.warn;
      log.call(
        this.o.logger,
        `market data poll failed (${this.failures} in a row): ${errorLine(e)}`,
        this.failures === FAILURES_REPORTED ? { [CONNECTION_LOG_FIELD]: 'lost' } : undefined,
      );
      this.setAsking(false); // seconds away: nothing waits on it until the next ask
      this.schedule(Math.min(30_000, 1000 * 2 ** Math.min(this.failures, 5)));
    }
  }

  /** a full page means more are waiting (a long outage): ask again at once; a closed candle not shown yet: soon */
  private scheduleAfter(fullPage: boolean): void {
    const now = this.clock.now();
    const due = Math.floor(now / this.tfMs) * this.tfMs - this.tfMs;
    if (fullPage) this.schedule(0);
    else if (this.newest < due && now - (due + this.tfMs) < RETRY_WINDOW_MS)
      this.schedule(Math.min(this.retryDelay(), this.untilNextClose()));
    else {
      this.retries = 0;
      this.setAsking(false);
      this.scheduleClose();
      // between closes, never on the way to an order
      if (this.clock.stale)
        this.clock
          .sync(this.read, 3)
          .catch((e: unknown) => this.o.logger.debug(`${this.o.exchange.id} time check failed: ${errorLine(e)}`));
    }
  }

  private take(candles: Candle[]): number {
    this.remember(candles);
    this.ready.push(...candles);
    return candles.length;
  }

  /**
   * Closed candles opening at or after `since`, oldest first, each once. `closedBy`: a time the exchange's clock had
   * passed before this request was sent (its own answer to fetchTime); rows closing by then are closed.
   */
  private async fetchClosed(since: number, limit: number, closedBy: number | null = null): Promise<Answer> {
    const { exchange, symbol, timeframe } = this.o;
    let sentBy = -Infinity;
    const rows: OHLCV[] = await this.read(() => {
      // an exchange that cannot tell its time: our estimate of it, less what the estimate may be off by
      sentBy = closedBy ?? (this.clock.canAsk ? -Infinity : this.clock.now() - this.clock.errorMs);
      return exchange.fetchOHLCV(symbol, timeframe, Math.floor(since), limit);
    });
    const newestSent = rows.reduce((m, r) => (typeof r[0] === 'number' && r[0] > m ? r[0] : m), -Infinity);
    const closed: Candle[] = [];
    let last = this.newest;
    let unsure: number | null = null;
    for (const [ts, open, high, low, close, volume] of rows) {
      if (typeof ts !== 'number' || ts <= last) continue;
      if (ts >= newestSent && ts + this.tfMs > sentBy) {
        unsure = ts;
        continue;
      }
      if (![open, high, low, close].every((v) => typeof v === 'number' && v > 0)) continue;
      closed.push({
        ts,
        open: open as number,
        high: high as number,
        low: low as number,
        close: close as number,
        volume: Number(volume ?? 0),
      });
      last = ts;
    }
    return { closed, unsure, full: rows.length >= limit };
  }

  private remember(candles: readonly Candle[]): void {
    const last = candles[candles.length - 1];
    if (!last) return;
    this.newest = last.ts;
    this.lastClose = last.close;
  }

  private readonly read = <T>(fn: () => Promise<T>): Promise<T> =>
    readWithRetries({
      exchange: this.o.exchange,
      read: fn,
      attempts: 3,
      onRetry: (e, attempt, wait) =>
        this.o.logger.debug(`${this.o.exchange.id} read failed (try ${attempt}), again in ${wait} ms: ${errorLine(e)}`),
    });
}
