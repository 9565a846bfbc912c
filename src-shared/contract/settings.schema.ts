import { z } from 'zod';

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
export const ApiPortSchema = z.number().int('must be a whole number')
  .refine((p) => p === 0 || (p >= 1024 && p <= 65535), 'must be 0 (any free port) or a port from 1024 to 65535');

/** `<dataDir>/settings.json`: what the settings panel edits. */
export const SettingsSchema = z.strictObject({
  api_port: ApiPortSchema,
  launch_at_login: z.boolean(),
  notifications: NotificationSettingsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  api_port: 8080,
  launch_at_login: false,
  notifications: { trades: true, self_pause: true, errors: true, connection: true },
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

const keyPart = (what: string) => z.string().trim().min(8, `must be the full ${what} (at least 8 characters)`).max(512, 'is too long')
  .regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces');

export const SaveExchangeKeysSchema = z.strictObject({
  exchange: z.string().regex(/^[a-z0-9]{2,32}$/, 'must be a ccxt exchange id such as binance').optional(),
  apiKey: keyPart('API key'),
  secret: keyPart('secret'),
  /** needed when the keychain is basic_text (Linux without a keyring): the person saw the warning and agreed */
  confirm_plaintext: z.boolean().optional(),
});
export type SaveExchangeKeys = z.infer<typeof SaveExchangeKeysSchema>;

/** an optional token of one's own for rotation or the read-only token (else one is generated) */
export const TokenRequestSchema = z.strictObject({
  token: z.string().min(16, 'must be at least 16 characters').max(512, 'must be at most 512 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional()
    .describe('at least 16 printable characters without spaces; omit to get 32 random bytes'),
}).optional();
export const TokenResultSchema = z.object({ success: z.literal(true), token: z.string() });
