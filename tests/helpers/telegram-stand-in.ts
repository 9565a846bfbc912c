// A local stand-in for the Telegram Bot API (reached through BOT_TELEGRAM_API_URL): getUpdates long polling with
// offsets (one poller at a time, as Telegram allows), sendMessage, answerCallbackQuery, 429 with retry_after, and 401
// once the token is revoked. It records what the bot sent so tests can check who got which answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  chat_id: number;
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
  at: number;
}

export interface TelegramStandIn {
  url: string;
  token: string;
  /** accepted sendMessage calls, in order */
  sent: SentMessage[];
  answeredCallbacks: { callback_query_id: string; text?: string }[];
  /** every request by method (refused ones too) */
  calls: Record<string, number>;
  /** offsets getUpdates was called with */
  offsets: number[];
  /** `sentAt`: the message's date (epoch ms), now by default */
  pushMessage(chatId: number, text: string, sentAt?: number): number;
  pushButton(chatId: number, data: string): string;
  /** the next n sendMessage calls answer 429 with parameters.retry_after */
  rateLimitSends(n: number, retryAfterS: number): void;
  /** every call answers 401 from now on */
  revoke(): void;
  close(): Promise<void>;
}

type Update = { update_id: number; [k: string]: unknown };

export async function startTelegramStandIn(token = '123456789:AAtest-stand-in-token-0123456789abcd'): Promise<TelegramStandIn> {
  let nextUpdate = 1;
  let nextMessage = 1;
  let nextCallback = 1;
  let pending: Update[] = [];
  let revoked = false;
  let limited = { n: 0, after: 0 };
  let waiter: { wake: () => void; res: ServerResponse } | null = null;
  const sockets = new Set<import('node:net').Socket>();

  const s: TelegramStandIn = {
    url: '',
    token,
    sent: [],
    answeredCallbacks: [],
    calls: {},
    offsets: [],
    pushMessage(chatId, text, sentAt = Date.now()) {
      const id = nextUpdate++;
      pending.push({
        update_id: id,
        message: { message_id: nextMessage++, date: Math.floor(sentAt / 1000), chat: { id: chatId, type: 'private' }, text },
      });
      waiter?.wake();
      return id;
    },
    pushButton(chatId, data) {
      const id = String(nextCallback++);
      pending.push({
        update_id: nextUpdate++,
        callback_query: { id, data, from: { id: chatId }, message: { message_id: nextMessage++, chat: { id: chatId, type: 'private' } } },
      });
      waiter?.wake();
      return id;
    },
    rateLimitSends(n, retryAfterS) {
      limited = { n, after: retryAfterS };
    },
    revoke() {
      revoked = true;
      waiter?.wake();
    },
    close: () =>
      new Promise((r) => {
        waiter?.wake();
        for (const sock of sockets) sock.destroy();
        server.close(() => r());
      }),
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded) return;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const unauthorized = (res: ServerResponse) => answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!m) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, tok, method] = m;
    s.calls[method] = (s.calls[method] ?? 0) + 1;
    if (tok !== token || revoked) return unauthorized(res);
    const params = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    if (method === 'getUpdates') {
      if (waiter) return answer(res, 409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request' });
      const offset = Number(params.offset ?? 0);
      s.offsets.push(offset);
      // updates below the offset are confirmed: Telegram forgets them
      pending = pending.filter((u) => u.update_id >= offset);
      if (!pending.length && Number(params.timeout ?? 0) > 0) {
        await new Promise<void>((wake) => {
          const timer = setTimeout(wake, Number(params.timeout) * 1000);
          waiter = {
            res,
            wake: () => {
              clearTimeout(timer);
              wake();
            },
          };
          req.socket.once('close', () => waiter?.wake());
        });
        waiter = null;
      }
      if (revoked) return unauthorized(res);
      return answer(res, 200, { ok: true, result: pending.filter((u) => u.update_id >= offset) });
    }
    if (method === 'sendMessage') {
      if (limited.n > 0) {
        limited.n--;
        return answer(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${limited.after}`,
          parameters: { retry_after: limited.after },
        });
      }
      if (typeof params.chat_id !== 'number' || typeof params.text !== 'string' || !params.text)
        return answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
      s.sent.push({
        chat_id: params.chat_id,
        text: params.text,
        reply_markup: params.reply_markup as SentMessage['reply_markup'],
        at: Date.now(),
      });
      return answer(res, 200, { ok: true, result: { message_id: nextMessage++, chat: { id: params.chat_id }, text: params.text } });
    }
    if (method === 'answerCallbackQuery') {
      s.answeredCallbacks.push({ callback_query_id: String(params.callback_query_id), text: params.text as string | undefined });
      return answer(res, 200, { ok: true, result: true });
    }
    return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
  });
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}
