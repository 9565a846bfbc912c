/**
 * Webhooks and the Telegram chat, fed by the same rules as the desktop notifications (desktop/notification-rules.ts:
 * trades summed in bursts, self-pauses, errors once then a summary, connection lost and back), under the kinds
 * switched on in the notification settings. Each sink has its own delivery queue, so a receiver that is down holds up
 * nothing but itself; the settings can be replaced while running (the desktop's Settings).
 */
import { randomUUID } from 'node:crypto';
import {
  ALL_NOTIFY_KINDS_ON,
  type NotifyConfig,
  type NotifyKind,
  type NotifyKinds,
  type NotifyTestResult,
  type SinkStats,
  type Status,
} from '../../src-shared/contract';
import type { EventFeed } from '../engine/events/event-bus';
import type { Logger } from '../engine/log/logger';
import { createNotificationRules, type DesktopNotification, type NotificationSwitches } from '../desktop/notification-rules';
import { startNotificationFeed } from '../desktop/notification-feed';
import { DeliveryQueue, type DeliveryOptions } from './delivery-queue';
import type { Notice } from './sink';
import { createWebhookSink, urlSecrets } from './webhook-sink';
import { TelegramApi } from './telegram-api';
import { createTelegramSink } from './telegram-sink';
import { TelegramBot, type TelegramState } from './telegram-bot';
import { createCommandHandler, type OperationCall } from './telegram-commands';

export interface NotifierOptions {
  /** the bot's events (only subscribed to while a sink is configured) */
  events: Pick<EventFeed, 'subscribe'>;
  /** the status now: a pause already there when the rules (re)start is not news */
  status(): Status;
  /** runs a Telegram command's operation the way the API does, as actor `telegram` */
  call: OperationCall;
  logger: Logger;
  /** BOT_TELEGRAM_API_URL */
  telegramApiUrl?: string;
  /** getUpdates' long-poll timeout, seconds */
  telegramPollTimeoutS?: number;
  delivery?: DeliveryOptions;
  /** the rules' trade allowance per minute (the benchmark lifts it) */
  tradesPerWindow?: number;
}

export interface Notifier {
  readonly kinds: NotifyKinds;
  readonly configured: boolean;
  sinks(): SinkStats[];
  telegram(): { state: TelegramState; handled: number; ignored: number } | null;
  /** one message through every sink now, bypassing the queues; each outcome */
  test(): Promise<NotifyTestResult['results']>;
  /** replace the settings: the old sinks stop (what they held is dropped, counted), new ones start */
  reconfigure(config: NotifyConfig | null): Promise<void>;
  close(): Promise<void>;
}

const SELF_PAUSE: Record<DesktopNotification['kind'], NotifyKind> = {
  trades: 'trades',
  self_pause: 'self_pauses',
  errors: 'errors',
  connection: 'connection',
};
const TEST_TIMEOUT_MS = 15_000;

/** what must never appear in a log line, event or answer: the bot token, secrets, webhook URLs (Discord's and Slack's carry a token) */
export function notifySecrets(config: NotifyConfig): string[] {
  return [
    ...(config.telegram ? [config.telegram.token] : []),
    ...(config.webhooks ?? []).flatMap((w) => [...urlSecrets(w.url), ...(w.secret ? [w.secret] : [])]),
  ];
}

export function createNotifier(o: NotifierOptions): Notifier {
  let kinds: NotifyKinds = ALL_NOTIFY_KINDS_ON;
  let queues: DeliveryQueue[] = [];
  let bot: TelegramBot | null = null;
  let stopFeed: (() => void) | null = null;

  const switches = (): NotificationSwitches => ({
    trades: kinds.trades,
    self_pause: kinds.self_pauses,
    errors: kinds.errors,
    connection: kinds.connection,
  });

  const fanOut = (n: DesktopNotification) => {
    const notice: Notice = {
      id: randomUUID(),
      kind: SELF_PAUSE[n.kind],
      title: n.title,
      text: n.body,
      ts: Date.now(),
      event: n.event ?? null,
    };
    for (const q of queues) q.push(notice);
  };

  const queueFor = (sink: ConstructorParameters<typeof DeliveryQueue>[0], onRefused?: (reason: string) => void) =>
    new DeliveryQueue(sink, {
      ...o.delivery,
      onHealth: (failing) =>
        failing
          ? o.logger.warn(`${sink.label}: delivery failed (${failing}); retrying with backoff`)
          : o.logger.info(`${sink.label}: delivering again`),
      onGiveUp: (reason, attempts) =>
        o.logger.warn(`${sink.label}: a notice was given up after ${attempts} attempt${attempts === 1 ? '' : 's'} (${reason})`),
      onRefused,
    });

  const start = (config: NotifyConfig) => {
    kinds = { ...ALL_NOTIFY_KINDS_ON, ...config.kinds };
    for (const s of notifySecrets(config)) o.logger.addSecret(s);
    const made: DeliveryQueue[] = [];
    for (const [index, webhook] of (config.webhooks ?? []).entries()) {
      made.push(queueFor(createWebhookSink({ index, webhook, timeoutMs: o.delivery?.timeoutMs })));
    }
    const tg = config.telegram;
    if (tg) {
      const api = new TelegramApi(tg.token, o.telegramApiUrl, o.delivery?.timeoutMs);
      let telegramBot: TelegramBot | null = null;
      const chat = queueFor(createTelegramSink({ api, chatId: tg.chat_id }), (reason) => {
        // said once, by whichever learnt it first (a send or the poll)
        if (telegramBot && telegramBot.state !== 'refused') {
          o.logger.error(reason);
          telegramBot.refused();
        }
      });
      telegramBot = new TelegramBot({
        api,
        chatId: tg.chat_id,
        commands: createCommandHandler({ call: o.call }),
        reply: (n) => chat.push(n, { front: true }),
        logger: o.logger,
        onRefused: (reason) => chat.refuse(reason),
        pollTimeoutS: o.telegramPollTimeoutS,
        newId: randomUUID,
      });
      bot = telegramBot;
      made.unshift(chat);
      telegramBot.start();
    }
    queues = made;
    if (queues.length && !stopFeed) {
      stopFeed = startNotificationFeed({
        events: o.events,
        rules: createNotificationRules({
          initialStatus: o.status(),
          enabled: switches,
          attachEvents: true,
          tradesPerWindow: o.tradesPerWindow,
        }),
        show: fanOut,
      });
    }
  };

  const stop = async () => {
    stopFeed?.();
    stopFeed = null;
    for (const q of queues) q.close();
    queues = [];
    const b = bot;
    bot = null;
    await b?.stop();
  };

  return {
    get kinds() {
      return kinds;
    },
    get configured() {
      return queues.length > 0;
    },
    sinks: () => queues.map((q) => q.stats()),
    telegram: () => (bot ? { state: bot.state, handled: bot.handled, ignored: bot.ignored } : null),
    async test() {
      const notice: Notice = {
        id: randomUUID(),
        kind: 'test',
        title: 'BotDesk test message',
        text: 'If you read this, BotDesk can reach you here.',
        ts: Date.now(),
        event: null,
      };
      return Promise.all(
        queues.map(async (q) => {
          const started = performance.now();
          const r = await q.sink
            .send(notice, AbortSignal.timeout(TEST_TIMEOUT_MS))
            .catch((e: Error) => ({ ok: false as const, reason: e.message, retry: false }));
          const ms = Math.round(performance.now() - started);
          return { sink: q.sink.id, label: q.sink.label, ok: r.ok, detail: r.ok ? 'delivered' : r.reason, ms };
        }),
      );
    },
    async reconfigure(config) {
      await stop();
      if (config) start(config);
      else kinds = ALL_NOTIFY_KINDS_ON;
    },
    close: stop,
  };
}
