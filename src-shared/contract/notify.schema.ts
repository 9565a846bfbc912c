/**
 * Notifications beyond the desktop (docs/contract.md §10): webhooks (json signed, discord, slack) and a Telegram bot.
 * The settings file (`BOT_NOTIFY_FILE`) and the desktop's stored settings have the same shape; secrets (the bot token,
 * webhook secrets, webhook URLs, which for Discord and Slack carry a token) never leave the main process.
 */
import { z } from 'zod';

/** the contract's names for the four switchable kinds (the desktop settings call the second one `self_pause`) */
export const NOTIFY_KINDS = ['trades', 'self_pauses', 'errors', 'connection'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];
export const WEBHOOK_FORMATS = ['json', 'discord', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const MAX_WEBHOOKS = 20;

export const NotifyKindsSchema = z.strictObject({
  trades: z.boolean(),
  self_pauses: z.boolean(),
  errors: z.boolean(),
  connection: z.boolean(),
} satisfies Record<NotifyKind, z.ZodBoolean>);
export type NotifyKinds = z.infer<typeof NotifyKindsSchema>;
export const ALL_NOTIFY_KINDS_ON: NotifyKinds = { trades: true, self_pauses: true, errors: true, connection: true };

const secretText = (what: string, min: number) =>
  z
    .string()
    .min(min, `must be the full ${what} (at least ${min} characters)`)
    .max(512, 'is too long')
    .regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces');

/** an http(s) URL; whether it points at the bot's own API is checked where the API's address is known */
export const WebhookUrlSchema = z
  .string()
  .max(2048, 'is too long')
  .refine((u) => {
    try {
      const p = new URL(u);
      return (p.protocol === 'https:' || p.protocol === 'http:') && !p.username && !p.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without user info');

export const WebhookSchema = z
  .strictObject({
    url: WebhookUrlSchema,
    format: z.enum(WEBHOOK_FORMATS),
    /** the HMAC key of `json` webhooks (X-BotDesk-Signature); discord and slack carry their token in the URL */
    secret: secretText('secret', 16).optional(),
  })
  .superRefine((w, ctx) => {
    if (w.format === 'json' && w.secret === undefined)
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required for json webhooks (the body is signed with it)' });
  });
export type Webhook = z.infer<typeof WebhookSchema>;

/** Telegram chat ids are whole numbers; groups and channels are negative */
export const ChatIdSchema = z
  .number()
  .int('must be a whole number')
  .refine((n) => n !== 0, 'must be a chat id');
export const TelegramTokenSchema = z
  .string()
  .regex(/^\d{3,15}:[A-Za-z0-9_-]{20,100}$/, 'must be the token @BotFather gave (digits, a colon, then letters)');

export const TelegramSettingsSchema = z.strictObject({ token: TelegramTokenSchema, chat_id: ChatIdSchema });

/** `BOT_NOTIFY_FILE` and the desktop's stored settings */
export const NotifyConfigSchema = z.strictObject({
  telegram: TelegramSettingsSchema.nullable().optional(),
  webhooks: z.array(WebhookSchema).max(MAX_WEBHOOKS, `at most ${MAX_WEBHOOKS} webhooks`).optional(),
  kinds: NotifyKindsSchema.partial().optional(),
});
export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

/**
 * A change from the desktop window (IPC only): the webhook list is sent whole, an entry `{keep: i}` keeping the
 * stored webhook i as it is (the window never sees URLs or secrets, so it cannot send them back); `telegram.token`
 * may be left out to keep the stored one; `telegram: null` removes Telegram.
 */
export const NotifyPatchSchema = z.strictObject({
  kinds: NotifyKindsSchema.partial().optional(),
  telegram: z.strictObject({ token: TelegramTokenSchema.optional(), chat_id: ChatIdSchema }).nullable().optional(),
  webhooks: z
    .array(z.union([z.strictObject({ keep: z.number().int().min(0) }), WebhookSchema]))
    .max(MAX_WEBHOOKS, `at most ${MAX_WEBHOOKS} webhooks`)
    .optional(),
  /** where the keychain is basic_text (Linux without a keyring): the person saw the warning and agreed */
  confirm_plaintext: z.boolean().optional(),
});
export type NotifyPatch = z.infer<typeof NotifyPatchSchema>;

export const SinkStatsSchema = z.object({
  /** `telegram`, `webhook_1`… (the metrics' `sink` label) */
  sink: z.string(),
  /** what it is, without its secrets: `Telegram chat 123`, `discord webhook discord.com …abcd` */
  label: z.string(),
  /** ok: the last attempt delivered; retrying: attempts fail (it retries with backoff); refused: Telegram refused the token */
  state: z.enum(['ok', 'retrying', 'refused']),
  delivered: z.number().int(),
  /** given up after the retries (or refused at once: a 4xx other than 429) */
  failed: z.number().int(),
  /** left out because the queue was full (the oldest goes first) or the sink was refused */
  dropped: z.number().int(),
  retries: z.number().int(),
  queued: z.number().int(),
  last_error: z.string().nullable(),
  last_delivered_at: z.number().nullable(),
});
export type SinkStats = z.infer<typeof SinkStatsSchema>;

export const NotifyViewSchema = z.object({
  /** file: BOT_NOTIFY_FILE; settings: the desktop's stored settings; none: nothing configured */
  source: z.enum(['file', 'settings', 'none']),
  /** false where this process cannot change them (headless, or BOT_NOTIFY_FILE set) */
  editable: z.boolean(),
  /** one sentence about where the settings come from here */
  note: z.string(),
  kinds: NotifyKindsSchema,
  telegram: z
    .object({
      chat_id: z.number().int(),
      token_last4: z.string(),
      /** polling: commands are read; refused: the Telegram API refused the token (401), nothing is sent */
      state: z.enum(['starting', 'polling', 'refused', 'unreachable']),
      commands_handled: z.number().int(),
      /** updates from other chats: ignored, never answered */
      ignored_other_chats: z.number().int(),
    })
    .nullable(),
  webhooks: z.array(z.object({ format: z.enum(WEBHOOK_FORMATS), target: z.string(), signed: z.boolean() })),
  sinks: z.array(SinkStatsSchema),
});
export type NotifyView = z.infer<typeof NotifyViewSchema>;

export const NotifyTestResultSchema = z.object({
  success: z.literal(true),
  results: z.array(z.object({ sink: z.string(), label: z.string(), ok: z.boolean(), detail: z.string(), ms: z.number() })),
});
export type NotifyTestResult = z.infer<typeof NotifyTestResultSchema>;
