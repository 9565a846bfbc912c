import type { Exchange } from 'ccxt';
import { ccxtErrors as ccxt } from './ccxt-module';
import { errorLine } from '../../log/redact';
import { keyRefused, readWithRetries } from './read-retry';
import { CONNECTION_LOG_FIELD, type ConnectionLogValue } from '../../../../src-shared/contract';

/** log fields marking the exchange link's state (see CONNECTION_LOG_FIELD) */
const link = (value: ConnectionLogValue): Record<string, unknown> => ({ [CONNECTION_LOG_FIELD]: value });

/** Why the bot must stop trading by itself: the keys were refused, or the exchange keeps failing. */
export interface ExchangeTrouble {
  kind: 'auth' | 'circuit';
  reason: string;
}

export type Note = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/**
 * The exchange link's health as its calls show it: a run of failed calls trips the circuit and refused keys are
 * trouble at once (the bot pauses itself on either); the first answer after failures is a recovery. Reads go through
 * `read`, which retries with backoff and counts the outcome.
 */
export class ExchangeHealth {
  private failures = 0;
  private tripped = false;
  private readonly troubleListeners = new Set<(reason: string) => void>();
  private readonly recoveredListeners = new Set<() => void>();

  constructor(
    private readonly note: Note,
    /** consecutive failed calls before the bot pauses itself */
    private readonly circuitAfter = 5,
  ) {}

  /** a read with retries, counted for the circuit breaker (an order the exchange does not know is an answer) */
  async read<T>(fn: () => Promise<T>, client: Exchange): Promise<T> {
    try {
      const v = await readWithRetries({ exchange: client, read: fn, attempts: 3 });
      this.succeeded();
      return v;
    } catch (e) {
      if (e instanceof ccxt.OrderNotFound) this.succeeded();
      else this.failed(e);
      throw e;
    }
  }

  /** the exchange answered (an answer, or a definite refusal): it is reachable */
  succeeded(): void {
    const wasDown = this.failures > 0;
    const wasTripped = this.tripped;
    this.failures = 0;
    this.tripped = false;
    if (wasTripped) this.note('info', 'the exchange answers again', link('restored'));
    if (wasDown) for (const l of this.recoveredListeners) l();
  }

  failed(e: unknown): void {
    this.failures++;
    if (keyRefused(e)) {
      this.keysRefused(e);
    } else if (this.failures >= this.circuitAfter && !this.tripped) {
      this.tripped = true;
      this.trouble({ kind: 'circuit', reason: `${this.failures} exchange calls failed in a row (last: ${errorLine(e)})` });
    }
  }

  keysRefused(e: unknown): void {
    this.trouble({ kind: 'auth', reason: `the exchange refused the API key: ${errorLine(e)}` });
  }

  onRecovered(listener: () => void): void {
    this.recoveredListeners.add(listener);
  }

  onTrouble(listener: (reason: string) => void): void {
    this.troubleListeners.add(listener);
  }

  private trouble(t: ExchangeTrouble): void {
    // refused keys are not a lost connection; a run of failed calls is
    this.note('error', t.reason, t.kind === 'circuit' ? link('lost') : undefined);
    for (const l of this.troubleListeners) l(t.reason);
  }
}
