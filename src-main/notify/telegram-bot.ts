/**
 * Reads the bot's Telegram updates by long polling (getUpdates with an offset: nothing has to be reachable from
 * outside) and answers commands from the configured chat only. Anything from another chat is counted and left
 * unanswered, so a stranger who finds the bot learns nothing. Answers go through the chat's delivery queue (429s
 * honoured), ahead of waiting notices.
 */
import type { Logger } from '../engine/log/logger';
import type { CommandHandler } from './telegram-commands';
import type { TelegramApi, TelegramUpdate } from './telegram-api';
import type { Notice } from './sink';

export type TelegramState = 'starting' | 'polling' | 'refused' | 'unreachable';

export interface TelegramBotOptions {
  api: TelegramApi;
  chatId: number;
  commands: CommandHandler;
  /** queue an answer for the chat (ahead of notices) */
  reply(notice: Notice): void;
  logger: Logger;
  /** the token was refused (401): the chat's queue stops too */
  onRefused(reason: string): void;
  /** getUpdates' long-poll timeout in seconds (default 25) */
  pollTimeoutS?: number;
  newId(): string;
  now?: () => number;
  /** a command sent longer ago than this is answered but not acted on (default 2 minutes) */
  staleAfterMs?: number;
}

/**
 * Telegram keeps a chat's messages for a day while nobody polls: a /stop or /pause sent while BotDesk was down must
 * not act hours later, when the owner may have changed their mind. The owner is told so and can send it again.
 */
const STALE_AFTER_MS = 120_000;

export class TelegramBot {
  state: TelegramState = 'starting';
  handled = 0;
  ignored = 0;
  private offset = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private wait: { timer: NodeJS.Timeout; done: () => void } | null = null;

  constructor(private readonly o: TelegramBotOptions) {}

  start(): void {
    this.loop ??= this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.wait) {
      clearTimeout(this.wait.timer);
      this.wait.done();
    }
    await this.loop;
  }

  /** the token was refused elsewhere (a send): polling stops as well */
  refused(): void {
    this.state = 'refused';
    this.stopped = true;
    this.abort.abort();
  }

  private async poll(): Promise<void> {
    const timeout = this.o.pollTimeoutS ?? 25;
    let failures = 0;
    let conflictSaid = false;
    while (!this.stopped) {
      // the first call answers at once, so a refused token or a working chat is known within a second of start
      const wait = this.state === 'starting' ? 0 : timeout;
      const r = await this.o.api.call<TelegramUpdate[]>(
        'getUpdates',
        { offset: this.offset, timeout: wait, allowed_updates: ['message', 'callback_query'] },
        this.abort.signal,
        (timeout + 15) * 1000,
      );
      if (this.stopped) return;
      if (r.ok) {
        failures = 0;
        conflictSaid = false;
        this.state = 'polling';
        for (const u of r.result) {
          // acknowledged by the next getUpdates even if handling it fails: an update is never handled twice
          this.offset = Math.max(this.offset, u.update_id + 1);
          await this.handle(u).catch((e: Error) => this.o.logger.warn('a Telegram update could not be handled', { reason: e.message }));
        }
        continue;
      }
      if (r.status === 401) {
        const reason = `Telegram refused the bot token (401 ${r.description}): Telegram notifications and commands are off until the token is changed`;
        this.o.logger.error(reason);
        this.refused();
        this.o.onRefused(reason);
        return;
      }
      if (r.status === 409) {
        // a webhook is set on this bot, or another program polls with the same token
        if (!conflictSaid) this.o.logger.warn(`Telegram getUpdates: ${r.description}; retrying every 10 s`);
        conflictSaid = true;
        await this.sleep(10_000);
        continue;
      }
      failures++;
      if (failures === 3) this.o.logger.warn(`Telegram cannot be reached for updates: ${r.description}; retrying with backoff`);
      if (failures >= 3) this.state = 'unreachable';
      await this.sleep(r.retryAfterMs ?? Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)));
    }
  }

  private async handle(u: TelegramUpdate): Promise<void> {
    if (u.message) {
      if (u.message.chat.id !== this.o.chatId) return void this.ignored++;
      if (typeof u.message.text !== 'string') return;
      this.handled++;
      const ageMs = (this.o.now ?? Date.now)() - u.message.date * 1000;
      if (ageMs > (this.o.staleAfterMs ?? STALE_AFTER_MS)) {
        const minutes = Math.round(ageMs / 60_000);
        const what = u.message.text.trim().split(/\s+/)[0].slice(0, 32);
        this.o.reply(
          this.notice(`Not done: ${what} was sent ${minutes} min ago, while BotDesk was not reading. Send it again to act now.`),
        );
        return;
      }
      const reply = await this.o.commands.command(u.message.text);
      this.o.reply(this.notice(reply.text, reply.buttons));
      return;
    }
    const q = u.callback_query;
    if (!q) return;
    if (q.message?.chat.id !== this.o.chatId) return void this.ignored++;
    this.handled++;
    const r = await this.o.commands.button(q.data ?? '');
    // stops the button's spinner; a failure here changes nothing that was done
    await this.o.api.call('answerCallbackQuery', { callback_query_id: q.id, text: r.answer }, this.abort.signal);
    if (r.reply) this.o.reply(this.notice(r.reply.text, r.reply.buttons));
  }

  private notice(text: string, buttons?: Notice['buttons']): Notice {
    return { id: this.o.newId(), kind: 'reply', title: '', text, ts: (this.o.now ?? Date.now)(), event: null, buttons };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.wait = null;
        done();
      }, ms);
      timer.unref();
      this.wait = { timer, done };
    });
  }
}
