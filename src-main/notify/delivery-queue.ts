/**
 * A bounded queue in front of one sink, worked by one sender at a time. Pushing never waits and never throws, so the
 * bot's loop (which publishes the events) never waits for a receiver: a receiver that hangs, answers 500 or 429 only
 * holds up its own queue. Failures are retried with exponential backoff (and jitter), or after the pause the receiver
 * asked for (Retry-After, Telegram's retry_after) when that is longer; a full queue drops its oldest notice; every
 * outcome is counted (docs/contract.md §10, README "When a receiver is down").
 */
import type { SinkStats } from '../../src-shared/contract';
import { noAnswerWithin, type Notice, type SendResult, type Sink } from './sink';

export interface DeliveryOptions {
  /** notices waiting at most (default 200): beyond it the oldest is dropped */
  capacity?: number;
  /** attempts per notice before it is given up (default 8: about four minutes of backoff) */
  maxAttempts?: number;
  /** first retry delay (default 1 s), doubled per attempt up to maxDelayMs (default 60 s) */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** the longest Retry-After honoured (default 10 min) */
  maxRetryAfterMs?: number;
  /** one attempt's deadline (default 10 s) */
  timeoutMs?: number;
  /** the sink started failing (reason) or delivers again (null): one log line per change, not one per attempt */
  onHealth?: (failing: string | null) => void;
  /** a notice was given up (attempts spent, or a refusal that will not change) */
  onGiveUp?: (reason: string, attempts: number) => void;
  /** the sink's credentials were refused: it stops until the settings change */
  onRefused?: (reason: string) => void;
  random?: () => number;
  now?: () => number;
}

type Hooks = 'onHealth' | 'onRefused' | 'onGiveUp';

export class DeliveryQueue {
  private readonly items: { notice: Notice; attempts: number }[] = [];
  private readonly o: Required<Omit<DeliveryOptions, Hooks>> & Pick<DeliveryOptions, Hooks>;
  private sending = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private abort: AbortController | null = null;
  private counts = { delivered: 0, failed: 0, dropped: 0, retries: 0 };
  private state: SinkStats['state'] = 'ok';
  private lastError: string | null = null;
  private lastDeliveredAt: number | null = null;

  constructor(
    readonly sink: Sink,
    o: DeliveryOptions = {},
  ) {
    this.o = {
      capacity: 200,
      maxAttempts: 8,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      maxRetryAfterMs: 600_000,
      timeoutMs: 10_000,
      random: Math.random,
      now: Date.now,
      ...o,
    };
  }

  /** queue a notice (`front`: an answer to a person goes before waiting notices); never waits */
  push(notice: Notice, opts: { front?: boolean } = {}): void {
    if (this.closed || this.state === 'refused') {
      this.counts.dropped++;
      return;
    }
    if (this.items.length >= this.o.capacity) {
      // the one being sent stays (it may be on the wire); the oldest waiting one goes
      this.items.splice(this.sending ? 1 : 0, 1);
      this.counts.dropped++;
    }
    const item = { notice, attempts: 0 };
    if (opts.front) this.items.splice(this.sending ? 1 : 0, 0, item);
    else this.items.push(item);
    this.kick();
  }

  stats(): SinkStats {
    return {
      sink: this.sink.id,
      label: this.sink.label,
      state: this.state,
      ...this.counts,
      queued: this.items.length,
      last_error: this.lastError,
      last_delivered_at: this.lastDeliveredAt,
    };
  }

  /** the credentials were refused (learnt elsewhere, e.g. Telegram's poll): nothing more is sent, what waits is dropped */
  refuse(reason: string): void {
    if (this.state === 'refused') return;
    this.state = 'refused';
    this.lastError = reason;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    this.counts.dropped += this.items.length;
    this.items.length = 0;
  }

  /** stop sending: a send in flight is aborted, what waits is dropped (counted) */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    this.counts.dropped += this.items.length;
    this.items.length = 0;
  }

  private kick(): void {
    if (this.sending || this.timer || this.closed || !this.items.length) return;
    this.sending = true;
    void this.sendHead().finally(() => {
      this.sending = false;
      this.kick();
    });
  }

  private async sendHead(): Promise<void> {
    const item = this.items[0];
    item.attempts++;
    this.abort = new AbortController();
    const deadline = AbortSignal.timeout(this.o.timeoutMs);
    const signal = AbortSignal.any([this.abort.signal, deadline]);
    let result: SendResult;
    try {
      result = await this.sink.send(item.notice, signal);
    } catch (e) {
      // a sink's bug is a failed attempt, never an exception in the bot
      result = { ok: false, reason: (e as Error).message, retry: true };
    }
    if (!result.ok && deadline.aborted) result = { ok: false, reason: noAnswerWithin(this.o.timeoutMs), retry: true };
    this.abort = null;
    if (this.closed || this.state === 'refused') return;
    if (result.ok) {
      this.items.shift();
      this.counts.delivered++;
      this.lastDeliveredAt = this.o.now();
      this.health('ok', null);
      return;
    }
    this.lastError = result.reason;
    if (result.refused) {
      this.counts.failed++;
      this.counts.dropped += this.items.length - 1;
      this.items.length = 0;
      this.state = 'refused';
      this.o.onRefused?.(result.reason);
      return;
    }
    if (!result.retry || item.attempts >= this.o.maxAttempts) {
      this.items.shift();
      this.counts.failed++;
      // the state stays as it was: only a delivery says the receiver works again
      this.o.onGiveUp?.(result.reason, item.attempts);
      return;
    }
    this.counts.retries++;
    this.health('retrying', result.reason);
    const backoff = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (item.attempts - 1)) * (0.8 + 0.4 * this.o.random());
    const wait = Math.max(backoff, Math.min(result.retryAfterMs ?? 0, this.o.maxRetryAfterMs));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
    this.timer.unref();
  }

  private health(next: 'ok' | 'retrying', reason: string | null): void {
    const wasRetrying = this.state === 'retrying';
    this.state = next;
    if (next === 'retrying' && !wasRetrying) this.o.onHealth?.(reason);
    if (next === 'ok' && wasRetrying) this.o.onHealth?.(null);
  }
}
