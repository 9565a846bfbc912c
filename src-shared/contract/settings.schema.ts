import { z } from 'zod';
import { SymbolSchema } from './config.schema';

/** Desktop notification kinds the tray may raise; each can be switched off in the settings. */
export const NOTIFICATION_KINDS = ['trades', 'self_pause', 'errors', 'connection'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const notificationShape = {
  trades: z.boolean(),
  self_pause: z.boolean(),
  errors: z.boolean(),
  connection: z.boolean(),
} satisfies Record<NotificationKind, z.ZodBoolean>;

export const NotificationSettingsSchema = z.strictObject(notificationShape);

/** 0 picks a free port; below 1024 needs privileges a desktop app should not ask for */
export const ApiPortSchema = z
  .number()
  .int('must be a whole number')
  .refine((p) => p === 0 || (p >= 1024 && p <= 65535), 'must be 0 (any free port) or a port from 1024 to 65535');

/**
 * Live limits (docs/contract.md §9), set in the desktop window only (IPC, never over the management API) and, headless, by
 * BOT_LIVE_MARKETS / BOT_LIVE_MAX_DAILY_LOSS_PCT / BOT_LIVE_MAX_ORDER, which win where set. Read at start.
 */
export const LiveLimitsSchema = z.strictObject({
  /** symbols live trading may use; empty: the config's symbol at start */
  markets: z.array(SymbolSchema).max(100, 'at most 100 markets'),
  /** the kill switch's ceiling: in live mode max_daily_loss_pct must be > 0 and at most this */
  max_daily_loss_pct: z.number().gt(0, 'must be above 0').max(100, 'must be at most 100'),
  /** the most one entry order may be worth, in the stake currency; null: no cap */
  max_order: z.number().gt(0, 'must be above 0').max(1e12, 'is too large').nullable(),
});
export type LiveLimitsSettings = z.infer<typeof LiveLimitsSchema>;
export const DEFAULT_LIVE_LIMITS: LiveLimitsSettings = { markets: [], max_daily_loss_pct: 10, max_order: null };

/** `<dataDir>/settings.json`: what the settings panel edits. */
export const SettingsSchema = z.strictObject({
  api_port: ApiPortSchema,
  launch_at_login: z.boolean(),
  notifications: NotificationSettingsSchema,
  /** not in SettingsPatchSchema: changed only by updateLiveLimits, which the desktop window alone may call */
  live_limits: LiveLimitsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  api_port: 8080,
  launch_at_login: false,
  notifications: { trades: true, self_pause: true, errors: true, connection: true },
  live_limits: DEFAULT_LIVE_LIMITS,
};

/** A partial change: only the keys sent; all of it applies or none. */
export const SettingsPatchSchema = z.strictObject({
  api_port: ApiPortSchema.optional(),
  launch_at_login: z.boolean().optional(),
  notifications: NotificationSettingsSchema.partial().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** The settings and what decides around them (environment overrides, where tokens come from). */
export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  api: z.object({
    /** the port the API listens on now (null: not listening in this process yet) */
    listening_port: z.number().int().nullable(),
    /** BOT_API_PORT, which overrides api_port while it is set */
    port_from_env: z.number().int().nullable(),
  }),
  /** where launch_at_login takes effect: this process (desktop) or only the desktop app (headless stores it) */
  launch_at_login_applies: z.enum(['here', 'desktop_app']),
  tokens: z.object({
    control: z.object({ source: z.enum(['file', 'env']), rotatable: z.boolean() }),
    read: z.object({ configured: z.boolean(), source: z.enum(['file', 'env']).nullable(), editable: z.boolean() }),
  }),
  /** a settings file that could not be read (defaults in use), said once */
  warning: z.string().nullable(),
  /** the live limits this process runs under (saved ones apply at the next start) and the variables overriding them */
  live_limits: z.object({
    in_force: z.object({
      markets: z.array(z.string()).describe("empty: the config's symbol at start"),
      max_daily_loss_pct: z.number(),
      max_order: z.number().nullable(),
    }),
    from_env: z.array(z.enum(['BOT_LIVE_MARKETS', 'BOT_LIVE_MAX_DAILY_LOSS_PCT', 'BOT_LIVE_MAX_ORDER'])),
  }),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/** Exchange keys as the outside world may see them: whether they are stored, and the API key's last four characters. */
export const ExchangeKeysViewSchema = z.object({
  stored: z.boolean(),
  exchange: z.string().nullable(),
  key_last4: z.string().nullable(),
  /** keychain: the OS keychain encrypts them; basic_text: Linux without a keyring (a fixed key); file: BOT_EXCHANGE_KEY_FILE */
  protection: z.enum(['keychain', 'basic_text', 'file']),
  /** false where keys cannot be saved from the app (headless: they come from BOT_EXCHANGE_KEY_FILE) */
  editable: z.boolean(),
  /** one sentence about where the keys come from here */
  note: z.string(),
});
export type ExchangeKeysView = z.infer<typeof ExchangeKeysViewSchema>;

const keyPart = (what: string) =>
  z
    .string()
    .trim()
    .min(8, `must be the full ${what} (at least 8 characters)`)
    .max(512, 'is too long')
    .regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces');

export const SaveExchangeKeysSchema = z.strictObject({
  exchange: z
    .string()
    .regex(/^[a-z0-9]{2,32}$/, 'must be a ccxt exchange id such as binance')
    .optional(),
  apiKey: keyPart('API key'),
  secret: keyPart('secret'),
  /** needed when the keychain is basic_text (Linux without a keyring): the person saw the warning and agreed */
  confirm_plaintext: z.boolean().optional(),
});
export type SaveExchangeKeys = z.infer<typeof SaveExchangeKeysSchema>;

/** A change of the live limits (desktop window only): only the keys sent; all of it applies or none. */
export const LiveLimitsPatchSchema = LiveLimitsSchema.partial();
export type LiveLimitsPatch = z.infer<typeof LiveLimitsPatchSchema>;

/** an optional token of one's own for rotation or the read-only token (else one is generated) */
export const TokenRequestSchema = z
  .strictObject({
    token: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(512, 'must be at most 512 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional()
      .describe('at least 16 printable characters without spaces; omit to get 32 random bytes'),
  })
  .optional();
export const TokenResultSchema = z.object({ success: z.literal(true), token: z.string() });
