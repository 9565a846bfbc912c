/**
 * What every notification sink (a webhook, the Telegram chat) takes and answers. A sink only sends; the delivery queue
 * in front of it (delivery-queue.ts) decides when to retry and what to drop, so no sink is ever on the trading path.
 */
import type { BotEvent, NotifyKind } from '../../src-shared/contract';

export interface Notice {
  /** one id per notice, the same on every retry and every sink (X-BotDesk-Delivery): a receiver can drop a repeat */
  id: string;
  /** a switchable kind, `test` (Send test, `botdesk notify test`) or `reply` (an answer to a Telegram command) */
  kind: NotifyKind | 'test' | 'reply';
  title: string;
  text: string;
  ts: number;
  /** the event it tells of, as the event stream carries it; null for summaries, tests and replies */
  event: BotEvent | null;
  /** Telegram only: buttons under the message (the /closeall confirmation) */
  buttons?: { text: string; data: string }[];
}

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      /** one line, no secret: what the receiver said or why it could not be reached */
      reason: string;
      /** worth trying again (a 5xx, 429, a timeout, a refused connection); false for a 4xx that will not change */
      retry: boolean;
      /** the receiver asked for this pause (Retry-After, Telegram's parameters.retry_after) */
      retryAfterMs?: number;
      /** the credentials were refused (Telegram 401): nothing more is sent until the settings change */
      refused?: boolean;
    };

export interface Sink {
  /** `telegram`, `webhook_1`…: the metrics' `sink` label */
  readonly id: string;
  /** what it is, without its secrets */
  readonly label: string;
  send(notice: Notice, signal: AbortSignal): Promise<SendResult>;
}

/** `Retry-After` as seconds or an HTTP date, in ms (null when absent or unreadable) */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** a failed fetch as one line: the cause's code (ECONNREFUSED…) or the timeout, never the URL (it may hold a token) */
export function fetchFailure(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return noAnswerWithin(timeoutMs);
  const code = err?.cause?.code;
  return code ? `could not connect (${code})` : 'could not connect';
}

export const noAnswerWithin = (ms: number): string => `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`;
