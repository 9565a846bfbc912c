/**
 * The notification operations (docs/contract.md §10): the view (never a token, secret or URL), the desktop's change
 * (IPC only: secrets go to the keychain and nowhere else), and the test message. Settings from BOT_NOTIFY_FILE are read
 * at start and changed only there.
 */
import {
  ALL_NOTIFY_KINDS_ON,
  NotifyConfigSchema,
  ServiceError,
  type DeskOperationHandlers,
  type NotifyConfig,
  type NotifyPatch,
  type NotifyView,
  type Webhook,
} from '../../src-shared/contract';
import type { Audit } from '../operations/audit';
import type { Notifier } from './notifier';
import type { NotifyStore } from './notify-store';
import { ownApiWebhook } from './notify-file';
import { webhookLabel } from './webhook-sink';

export type NotifySource = { kind: 'file'; path: string } | { kind: 'settings'; store: NotifyStore } | { kind: 'none' };

type NotifyHandlers = Pick<DeskOperationHandlers, 'getNotifications' | 'updateNotifications' | 'testNotifications'>;

export interface NotifyDeps {
  notifier: Notifier;
  source: NotifySource;
  /** the settings in force now */
  config: NotifyConfig | null;
  /** where the management API listens (a webhook may not point there), once it does */
  apiAddress(): { host: string; port: number } | null;
}

const HEADLESS_NOTE =
  'This server has no keychain: notifications come from BOT_NOTIFY_FILE (a JSON file with mode 0600), read at start; none is set.';

export function createNotifyHandlers(d: NotifyDeps, audit: Audit): NotifyHandlers {
  let config = d.config;

  const note = (): string => {
    if (d.source.kind === 'file') return `Set by BOT_NOTIFY_FILE (${d.source.path}), read at start: change that file and restart.`;
    if (d.source.kind === 'none') return HEADLESS_NOTE;
    const cipher = d.source.store.cipher;
    const unavailable = cipher.unavailable();
    if (unavailable) return `The system keychain is not available (${unavailable}): notification settings cannot be saved.`;
    return cipher.protection() === 'basic_text'
      ? 'No system keyring was found: the token and secrets are encrypted with a key built into Electron, not one only you hold. Changes apply at once.'
      : 'The token, webhook URLs and secrets are kept encrypted by the system keychain. Changes apply at once.';
  };

  const view = (): NotifyView => {
    const tg = config?.telegram ?? null;
    const bot = d.notifier.telegram();
    return {
      source: d.source.kind,
      editable: d.source.kind === 'settings',
      note: note(),
      kinds: { ...ALL_NOTIFY_KINDS_ON, ...config?.kinds },
      telegram: tg
        ? {
            chat_id: tg.chat_id,
            token_last4: tg.token.slice(-4),
            state: bot?.state ?? 'starting',
            commands_handled: bot?.handled ?? 0,
            ignored_other_chats: bot?.ignored ?? 0,
          }
        : null,
      webhooks: (config?.webhooks ?? []).map((w) => ({ format: w.format, target: webhookLabel(w), signed: w.format === 'json' })),
      sinks: d.notifier.sinks(),
    };
  };

  const nextConfig = (patch: NotifyPatch): NotifyConfig => {
    const current = config ?? {};
    const next: NotifyConfig = { kinds: { ...ALL_NOTIFY_KINDS_ON, ...current.kinds, ...patch.kinds } };
    if (patch.telegram === undefined) next.telegram = current.telegram ?? null;
    else if (patch.telegram === null) next.telegram = null;
    else {
      const token = patch.telegram.token ?? current.telegram?.token;
      if (!token)
        throw new ServiceError(400, 'Invalid request body: telegram.token.', { 'telegram.token': 'is required: no token is stored yet' });
      next.telegram = { token, chat_id: patch.telegram.chat_id };
    }
    const stored = current.webhooks ?? [];
    next.webhooks = (patch.webhooks ?? stored.map((_, keep) => ({ keep }))).map((entry, i): Webhook => {
      if (!('keep' in entry)) return entry;
      const kept = stored[entry.keep];
      if (!kept)
        throw new ServiceError(400, `Invalid request body: webhooks.${i}.keep.`, { [`webhooks.${i}.keep`]: 'no such stored webhook' });
      return kept;
    });
    const api = d.apiAddress();
    const own = api ? ownApiWebhook(next, api) : null;
    if (own) {
      const field = own.field.replace(/\[(\d+)\]/, '.$1');
      throw new ServiceError(400, `Invalid request body: ${field}.`, { [field]: own.problem });
    }
    return NotifyConfigSchema.parse(next);
  };

  return {
    getNotifications: () => view(),
    updateNotifications: async (input, caller) => {
      if (d.source.kind !== 'settings') {
        throw new ServiceError(
          409,
          d.source.kind === 'file'
            ? `The notification settings come from BOT_NOTIFY_FILE (${d.source.path}); change that file and restart.`
            : HEADLESS_NOTE,
        );
      }
      const store = d.source.store;
      const unavailable = store.cipher.unavailable();
      if (unavailable) throw new ServiceError(409, `The system keychain is not available (${unavailable}); nothing was saved.`);
      if (store.cipher.protection() === 'basic_text' && input.body.confirm_plaintext !== true)
        throw new ServiceError(
          409,
          'No system keyring was found (safeStorage uses basic_text): the Telegram token and webhook secrets would be encrypted with a key built into Electron. Confirm to store them anyway (confirm_plaintext: true), or set up a keyring and restart.',
          { confirm_plaintext: 'required without a system keyring' },
        );
      const next = nextConfig(input.body);
      try {
        store.save(next);
      } catch (e) {
        throw new ServiceError(
          409,
          `The system keychain refused to store the notification settings (${(e as Error).message}); nothing was saved.`,
        );
      }
      config = next;
      await d.notifier.reconfigure(next);
      const { confirm_plaintext: _, ...sent } = input.body;
      audit('update_notifications', caller, { fields: Object.keys(sent), webhooks: next.webhooks?.length ?? 0, telegram: !!next.telegram });
      return { success: true as const, notifications: view() };
    },
    testNotifications: async (_input, caller) => {
      if (!d.notifier.configured)
        throw new ServiceError(
          409,
          d.source.kind === 'settings'
            ? 'No webhook or Telegram chat is set up: add one in Settings → Notifications first.'
            : 'No webhook or Telegram chat is set up: point BOT_NOTIFY_FILE at a notifications file and restart.',
        );
      const results = await d.notifier.test();
      audit('test_notifications', caller, { delivered: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length });
      return { success: true as const, results };
    },
  };
}
