/**
 * The few Telegram Bot API methods BotDesk uses (getUpdates, sendMessage, answerCallbackQuery), at
 * `BOT_TELEGRAM_API_URL` (default https://api.telegram.org). The token is part of every request's path, so no URL is
 * ever put into a log line or an answer: failures are described by status and Telegram's own description.
 */
import { fetchFailure } from './sink';

export const TELEGRAM_API_ORIGIN = 'https://api.telegram.org';

export type TelegramAnswer<T> =
  | { ok: true; result: T }
  | {
      ok: false;
      /** the HTTP status, or 0 when Telegram could not be reached */
      status: number;
      description: string;
      /** 429: parameters.retry_after, in ms */
      retryAfterMs?: number;
    };

export interface TelegramUpdate {
  update_id: number;
  message?: { message_id: number; date: number; chat: { id: number }; text?: string };
  callback_query?: { id: string; data?: string; from: { id: number }; message?: { message_id: number; chat: { id: number } } };
}

export class TelegramApi {
  private readonly base: string;

  constructor(
    token: string,
    origin: string = TELEGRAM_API_ORIGIN,
    private readonly timeoutMs = 10_000,
  ) {
    this.base = `${origin.replace(/\/+$/, '')}/bot${token}/`;
  }

  async call<T>(
    method: string,
    params: Record<string, unknown>,
    signal?: AbortSignal,
    timeoutMs = this.timeoutMs,
  ): Promise<TelegramAnswer<T>> {
    const deadline = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.base + method, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
        redirect: 'error',
      });
    } catch (e) {
      return { ok: false, status: 0, description: fetchFailure(e, timeoutMs) };
    }
    const body = (await res.json().catch(() => null)) as {
      ok?: boolean;
      result?: T;
      description?: string;
      parameters?: { retry_after?: number };
    } | null;
    if (res.ok && body?.ok === true) return { ok: true, result: body.result as T };
    const retryAfter = body?.parameters?.retry_after;
    return {
      ok: false,
      status: res.status,
      // Telegram's words ("Unauthorized", "Bad Request: chat not found"), clipped; never the request
      description: typeof body?.description === 'string' ? body.description.slice(0, 200) : `HTTP ${res.status}`,
      ...(typeof retryAfter === 'number' ? { retryAfterMs: Math.round(retryAfter * 1000) } : {}),
    };
  }
}
