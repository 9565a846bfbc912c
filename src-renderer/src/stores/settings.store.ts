import { createStore } from 'zustand/vanilla';
import type {
  ExchangeKeysView,
  LiveLimitsPatch,
  NotifyPatch,
  NotifyTestResult,
  NotifyView,
  SaveExchangeKeys,
  SettingsPatch,
  SettingsView,
} from '../../../src-shared/contract';
import { ApiError } from '../../../src-shared/api-client/api-error';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; message: string; fields: Record<string, string> };

export interface SettingsState {
  view: SettingsView | null;
  keys: ExchangeKeysView | null;
  /** why the keys cannot be shown here (a read-only token, a server without the operation) */
  keysProblem: string | null;
  loadProblem: string | null;
  busy: string | null;
  load(): Promise<void>;
  save(patch: SettingsPatch): Promise<Outcome>;
  rotateToken(): Promise<Outcome<string>>;
  /** a token of one's own, or (undefined) a generated one */
  setReadToken(own?: string): Promise<Outcome<string>>;
  removeReadToken(): Promise<Outcome>;
  saveKeys(keys: SaveExchangeKeys): Promise<Outcome>;
  /** desktop window only (IPC): the management API has no route for it */
  saveLiveLimits(patch: LiveLimitsPatch): Promise<Outcome>;
  deleteKeys(): Promise<Outcome>;
  /** webhooks and the Telegram chat: their state and counts (never a token, secret or URL) */
  notify: NotifyView | null;
  notifyProblem: string | null;
  loadNotify(): Promise<void>;
  /** desktop window only (IPC): secrets go to the keychain */
  saveNotify(patch: NotifyPatch): Promise<Outcome>;
  testNotify(): Promise<Outcome<NotifyTestResult['results']>>;
}

const failure = (e: unknown): { ok: false; message: string; fields: Record<string, string> } =>
  e instanceof ApiError ? { ok: false, message: e.message, fields: e.fields } : { ok: false, message: (e as Error).message, fields: {} };

/** The settings panel's data: the settings with their overrides, and the exchange keys' summary (never the keys). */
export function createSettingsStore(client: BotClient) {
  return createStore<SettingsState>()((set, get) => {
    async function run<T>(name: string, work: () => Promise<T>): Promise<Outcome<T>> {
      set({ busy: name });
      try {
        return { ok: true, value: await work() };
      } catch (e) {
        return failure(e);
      } finally {
        set({ busy: null });
      }
    }
    const reloadView = async () => set({ view: await client.getSettings() });
    return {
      view: null,
      keys: null,
      keysProblem: null,
      loadProblem: null,
      busy: null,
      async load() {
        const [view, keys] = await Promise.allSettled([client.getSettings(), client.getExchangeKeys()]);
        set({
          view: view.status === 'fulfilled' ? view.value : get().view,
          loadProblem: view.status === 'rejected' ? failure(view.reason).message : null,
          keys: keys.status === 'fulfilled' ? keys.value : null,
          keysProblem: keys.status === 'rejected' ? failure(keys.reason).message : null,
        });
      },
      save: (patch) =>
        run('save', async () => {
          set({ view: (await client.updateSettings({ body: patch })).settings });
          return undefined;
        }),
      rotateToken: () => run('rotate', async () => (await client.rotateToken({ body: {} })).token),
      setReadToken: (own) =>
        run('read-token', async () => {
          const { token } = await client.setReadToken({ body: own === undefined ? {} : { token: own } });
          await reloadView();
          return token;
        }),
      removeReadToken: () =>
        run('read-token', async () => {
          await client.removeReadToken();
          await reloadView();
          return undefined;
        }),
      saveKeys: (keys) =>
        run('keys', async () => {
          set({ keys: (await client.saveExchangeKeys({ body: keys })).keys });
          return undefined;
        }),
      saveLiveLimits: (patch) =>
        run('live-limits', async () => {
          set({ view: (await client.updateLiveLimits({ body: patch })).settings });
          return undefined;
        }),
      deleteKeys: () =>
        run('keys', async () => {
          set({ keys: (await client.deleteExchangeKeys()).keys });
          return undefined;
        }),
      notify: null,
      notifyProblem: null,
      async loadNotify() {
        try {
          set({ notify: await client.getNotifications(), notifyProblem: null });
        } catch (e) {
          set({ notifyProblem: failure(e).message });
        }
      },
      saveNotify: (patch) =>
        run('notify', async () => {
          set({ notify: (await client.updateNotifications({ body: patch })).notifications });
          return undefined;
        }),
      testNotify: () =>
        run('notify-test', async () => {
          const { results } = await client.testNotifications({ body: {} });
          set({ notify: await client.getNotifications() });
          return results;
        }),
    };
  });
}
