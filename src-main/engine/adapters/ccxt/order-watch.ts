import type { ExchangeOrderState } from '../../ports/exchange.port';
import { errorLine } from '../../log/redact';
import type { Note } from './exchange-health';

/** an order we placed whose final state we do not have yet; `lostSince` set while its placement's outcome is unknown */
interface Watched {
  lostSince: number | null;
}

export interface OrderWatchOptions {
  /** ids of our orders resting on the exchange, in one request */
  openIds(): Promise<string[]>;
  /** one order by our id, or null when the exchange does not know it */
  lookUp(clientOrderId: string): Promise<ExchangeOrderState | null>;
  /** an order the watch gave up on: never placed */
  neverPlaced(clientOrderId: string, reason: string): ExchangeOrderState;
  /** an order reached its final state (the adapter forgets what it kept about it) */
  finished(state: ExchangeOrderState): void;
  note: Note;
  now: () => number;
  /** how often resting orders are checked between candles */
  everyMs: number;
  /** how long an order whose placement answer was lost may stay unseen before it is taken as never placed */
  unknownGraceMs: number;
}

/**
 * Resting orders between candles: every order still open (or whose placement's answer was lost) is checked each
 * round, the open ones in one request and each that left them by its id; what changed is queued for the bot, which
 * `onUpdates` wakes. Only while something is watched does a timer run.
 */
export class OrderWatch {
  private readonly watched = new Map<string, Watched>();
  private readonly updates: ExchangeOrderState[] = [];
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private watching = false;

  constructor(private readonly o: OrderWatchOptions) {}

  /** an order's latest state: watched while it rests, forgotten once final */
  track(s: ExchangeOrderState): void {
    if (s.status === 'open') {
      const w = this.watched.get(s.clientOrderId);
      this.watched.set(s.clientOrderId, { lostSince: w && s.exchangeOrderId === null ? w.lostSince : null });
      this.ensureWatching();
    } else {
      this.watched.delete(s.clientOrderId);
      this.o.finished(s);
    }
  }

  /** a placement whose answer was lost: watched from now until it shows up or the grace period passes */
  lost(clientOrderId: string): void {
    this.watched.set(clientOrderId, { lostSince: this.o.now() });
  }

  takeUpdates(): readonly ExchangeOrderState[] {
    return this.updates.splice(0);
  }

  onUpdates(listener: () => void): void {
    this.listeners.add(listener);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watched.clear();
  }

  ensureWatching(): void {
    if (this.timer || this.watching || this.watched.size === 0) return;
    this.timer = setTimeout(() => void this.round(), this.o.everyMs);
    this.timer.unref?.();
  }

  /** one round: the open orders in one request, then each watched order that left them, looked up by its id */
  private async round(): Promise<void> {
    this.timer = null;
    this.watching = true;
    try {
      const open = new Set(await this.o.openIds());
      for (const [id, w] of [...this.watched]) {
        if (open.has(id) && w.lostSince === null) continue;
        const state = await this.o.lookUp(id);
        if (state) {
          if (state.status !== 'open' || w.lostSince !== null) this.publish(state);
          this.track(state);
        } else if (w.lostSince !== null && this.o.now() - w.lostSince > this.o.unknownGraceMs) {
          this.watched.delete(id);
          const unseenS = Math.round((this.o.now() - w.lostSince) / 1000);
          this.publish(
            this.o.neverPlaced(id, `not found on the exchange ${unseenS} s after its placement's answer was lost: it was never placed`),
          );
        }
      }
    } catch (e) {
      this.o.note('warn', `checking resting orders failed: ${errorLine(e)}`);
    } finally {
      this.watching = false;
      this.ensureWatching();
    }
  }

  private publish(state: ExchangeOrderState): void {
    this.updates.push(state);
    for (const l of this.listeners) l();
  }
}
