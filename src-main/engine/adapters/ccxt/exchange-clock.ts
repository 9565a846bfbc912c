import type { Exchange } from 'ccxt';

/** how often the offset is measured again when nothing else asked for it: local clocks drift, slowly */
const RESYNC_EVERY_MS = 10 * 60_000;
/** how far off our estimate may be on an exchange that cannot tell its time (no fetchTime) */
const UNKNOWN_CLOCK_ERROR_MS = 1000;

/**
 * The exchange's clock as seen from here. A candle closes by the exchange's clock, not ours, so the feed asks for it
 * when this clock says so; the offset is measured with fetchTime (half the round trip is the most it can be off by)
 * and measured again every 10 minutes and whenever the feed needs the exchange's word on the time.
 */
export class ExchangeClock {
  private offsetMs = 0;
  /** how far `now()` may be from the exchange's real time */
  errorMs: number;
  private syncedAt = -Infinity;

  constructor(
    private readonly exchange: Exchange,
    private readonly localNow: () => number,
  ) {
    this.errorMs = exchange.has.fetchTime ? 0 : UNKNOWN_CLOCK_ERROR_MS;
  }

  /** the exchange's time now (an estimate, within `errorMs`) */
  now(): number {
    return this.localNow() + this.offsetMs;
  }

  get canAsk(): boolean {
    return Boolean(this.exchange.has.fetchTime);
  }

  get stale(): boolean {
    return this.canAsk && this.localNow() - this.syncedAt > RESYNC_EVERY_MS;
  }

  /**
   * Asks the exchange for its time and keeps the offset; returns the exchange's time when it answered, or null when it
   * cannot tell. `read` wraps the call (retries).
   */
  async sync(read: <T>(fn: () => Promise<T>) => Promise<T>): Promise<number | null> {
    if (!this.canAsk) return null;
    const sent = this.localNow();
    const serverTime = await read(() => this.exchange.fetchTime());
    const received = this.localNow();
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) return null;
    this.offsetMs = serverTime - (sent + received) / 2;
    // the server read its clock somewhere within the round trip; its time has a millisecond's resolution
    this.errorMs = (received - sent) / 2 + 1;
    this.syncedAt = received;
    return serverTime;
  }
}
