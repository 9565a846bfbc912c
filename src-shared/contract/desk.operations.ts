// The app's own operations: part of the one operation table in operations.ts.
import { z } from 'zod';
import {
  ExchangeKeysViewSchema,
  LiveLimitsPatchSchema,
  SaveExchangeKeysSchema,
  SettingsPatchSchema,
  SettingsViewSchema,
  TokenRequestSchema,
  TokenResultSchema,
} from './settings.schema';
import { def, Empty } from './operation-def';

/** The app around the bot: tokens, settings, live limits and exchange keys (served by desktop/desk-handlers.ts). */
export function deskOperations() {
  return {
    rotateToken: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'POST',
      path: '/auth/rotate',
      scope: 'control',
      summary:
        'A new control token, returned once and written to the token file; the old one answers 401 at once and its event-stream connections are closed (4401). 409 when the token comes from BOT_API_TOKEN.',
      body: TokenRequestSchema,
      output: TokenResultSchema,
    }),
    setReadToken: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'POST',
      path: '/auth/read-token',
      scope: 'control',
      summary:
        'Create or replace the read-only token (returned once, kept in the data directory with mode 0600); the old one stops at once. 409 when BOT_API_READ_TOKEN sets it.',
      body: TokenRequestSchema,
      output: TokenResultSchema,
    }),
    removeReadToken: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'DELETE',
      path: '/auth/read-token',
      scope: 'control',
      summary: 'Remove the read-only token; it stops at once. 409 when BOT_API_READ_TOKEN sets it.',
      body: Empty.optional(),
      output: z.object({ success: z.literal(true), removed: z.boolean() }),
    }),
    getSettings: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'GET',
      path: '/settings',
      scope: 'read',
      summary: 'The app settings (API port, launch at login, notifications) and what overrides them.',
      output: SettingsViewSchema,
    }),
    updateSettings: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'PUT',
      path: '/settings',
      scope: 'control',
      summary: 'Partial, atomic settings change. api_port applies at the next start and must be free now (400 naming api_port otherwise).',
      body: SettingsPatchSchema,
      output: z.object({ success: z.literal(true), settings: SettingsViewSchema }),
    }),
    updateLiveLimits: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'PUT',
      path: '/live-limits',
      scope: 'control',
      ipcOnly: true,
      summary:
        "Live limits (desktop window only, never over the API): the markets live trading may use, the kill switch's ceiling, the most one order may be worth. Partial and atomic; BOT_LIVE_* variables win where set; applies at the next start.",
      body: LiveLimitsPatchSchema,
      output: z.object({ success: z.literal(true), settings: SettingsViewSchema }),
    }),
    getExchangeKeys: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'GET',
      path: '/exchange-keys',
      scope: 'control',
      summary: "Whether exchange keys are stored, and the API key's last four characters. Never the keys themselves.",
      output: ExchangeKeysViewSchema,
    }),
    saveExchangeKeys: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'PUT',
      path: '/exchange-keys',
      scope: 'control',
      ipcOnly: true,
      summary:
        'Store exchange keys in the OS keychain (desktop window only). 409 without confirm_plaintext where the keychain is basic_text, and on a headless server (keys come from BOT_EXCHANGE_KEY_FILE there).',
      body: SaveExchangeKeysSchema,
      output: z.object({ success: z.literal(true), keys: ExchangeKeysViewSchema }),
    }),
    deleteExchangeKeys: def({
      errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
      method: 'DELETE',
      path: '/exchange-keys',
      scope: 'control',
      ipcOnly: true,
      summary: 'Forget the stored exchange keys (desktop window only).',
      body: Empty.optional(),
      output: z.object({ success: z.literal(true), keys: ExchangeKeysViewSchema }),
    }),
  } as const;
}
