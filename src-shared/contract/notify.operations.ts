// Notification operations (docs/contract.md §10): part of the one operation table in operations.ts.
import { z } from 'zod';
import { NotifyPatchSchema, NotifyTestResultSchema, NotifyViewSchema } from './notify.schema';
import { def, Empty } from './operation-def';

/** Webhooks and the Telegram bot (docs/contract.md §10): their state, the desktop's settings, a test message. */
export function notifyOperations() {
  const unmanaged = 'this process does not manage tokens, settings or keys, or the notifications come from BOT_NOTIFY_FILE';
  return {
    getNotifications: def({
      errors: { 409: unmanaged },
      method: 'GET',
      path: '/notify',
      scope: 'read',
      summary:
        "Webhooks and the Telegram bot: where their settings come from, the kinds switched on, each sink's deliveries, failures, drops and queue. Never a token, secret or webhook URL.",
      output: NotifyViewSchema,
    }),
    updateNotifications: def({
      errors: { 409: unmanaged },
      method: 'PUT',
      path: '/notify',
      scope: 'control',
      ipcOnly: true,
      summary:
        'Change the notification settings (desktop window only: the token and secrets go to the keychain). Applies at once; 409 where BOT_NOTIFY_FILE sets them or on a headless server.',
      body: NotifyPatchSchema,
      output: z.object({ success: z.literal(true), notifications: NotifyViewSchema }),
    }),
    testNotifications: def({
      errors: { 409: 'no webhook or Telegram chat is configured' },
      method: 'POST',
      path: '/notify/test',
      scope: 'control',
      summary: 'Send one test message through every sink now and report each outcome (waits for each answer, at most 15 s).',
      body: Empty.optional(),
      output: NotifyTestResultSchema,
    }),
  } as const;
}
