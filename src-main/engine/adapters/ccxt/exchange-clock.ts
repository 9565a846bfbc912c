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
   * Asks the exchange for its time (`samples` times, keeping the answer that came back fastest: the shorter the round
   * trip, the less the offset can be off) and keeps the offset; returns the exchange's time at the last answer, or
   * null when it cannot tell. `read` wraps each call (retries).
   */
  async sync(read: <T>(fn: () => Promise<T>) => Promise<T>, samples = 1): Promise<number | null> {
    if (!this.canAsk) return null;
    let best: { offset: number; error: number } | null = null;
    let last: number | null = null;
    for (let i = 0; i < samples; i++) {
      const sent = this.localNow();
      const serverTime = await read(() => this.exchange.fetchTime());
      const received = this.localNow();
      if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) continue;
      // the server read its clock somewhere within the round trip; its time has a millisecond's resolution
      const error = (received - sent) / 2 + 1;
      if (!best || error < best.error) best = { offset: serverTime - (sent + received) / 2, error };
      last = serverTime;
    }
    if (!best) return null;
    this.offsetMs = best.offset;
    this.errorMs = best.error;
    this.syncedAt = this.localNow();
    return last;
  }
}
