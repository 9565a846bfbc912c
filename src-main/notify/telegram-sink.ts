import type { TelegramApi } from './telegram-api';
import type { Notice, SendResult, Sink } from './sink';

const TELEGRAM_MAX = 4096;

/** messages to the one configured chat; plain text (no parse mode), so nothing in a notice can break its markup */
export function createTelegramSink(o: { api: TelegramApi; chatId: number }): Sink {
  return {
    id: 'telegram',
    label: `Telegram chat ${o.chatId}`,
    async send(n: Notice, signal: AbortSignal): Promise<SendResult> {
      const text = (n.kind === 'reply' ? n.text : `${n.title}\n${n.text}`).slice(0, TELEGRAM_MAX);
      const r = await o.api.call(
        'sendMessage',
        {
          chat_id: o.chatId,
          text,
          disable_web_page_preview: true,
          ...(n.buttons ? { reply_markup: { inline_keyboard: [n.buttons.map((b) => ({ text: b.text, callback_data: b.data }))] } } : {}),
        },
        signal,
      );
      if (r.ok) return { ok: true };
      const reason = r.status ? `Telegram answered ${r.status}: ${r.description}` : `Telegram ${r.description}`;
      if (r.status === 401) return { ok: false, reason, retry: false, refused: true };
      const retry = r.status === 0 || r.status === 429 || r.status >= 500;
      return { ok: false, reason, retry, ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}) };
    },
  };
}
