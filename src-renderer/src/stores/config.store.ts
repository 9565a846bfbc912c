import { createStore } from 'zustand/vanilla';
import type { ConfigPatch, ConfigVersion, VersionedConfig } from '../../../src-shared/contract';
import { ApiError } from '../../../src-shared/api-client/api-error';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export type SaveOutcome = { ok: true; version: number } | { ok: false; message: string; fields: Record<string, string>; status: number };

export interface ConfigState {
  config: VersionedConfig | null;
  history: ConfigVersion[];
  saving: boolean;
  load(): Promise<void>;
  loadHistory(): Promise<void>;
  /** sends only the changed keys, with If-Match on the version the form was built from */
  save(patch: ConfigPatch, baseVersion: number): Promise<SaveOutcome>;
  rollback(version: number): Promise<SaveOutcome>;
  applyVersion(version: ConfigVersion): void;
}

const failure = (e: unknown): SaveOutcome =>
  e instanceof ApiError
    ? { ok: false, message: e.message, fields: e.fields, status: e.status }
    : { ok: false, message: (e as Error).message, fields: {}, status: 0 };

export function createConfigStore(client: BotClient) {
  return createStore<ConfigState>()((set, get) => {
    const setConfig = (config: VersionedConfig) => {
      // events and responses can arrive out of order: never step back to an older version
      const current = get().config;
      if (!current || config.version >= current.version) set({ config });
    };
    async function saving(work: () => Promise<{ config: VersionedConfig; version: number }>): Promise<SaveOutcome> {
      set({ saving: true });
      try {
        const result = await work();
        setConfig(result.config);
        void get().loadHistory();
        return { ok: true, version: result.version };
      } catch (e) {
        return failure(e);
      } finally {
        set({ saving: false });
      }
    }
    return {
      config: null,
      history: [],
      saving: false,
      async load() {
        set({ config: await client.getConfig() });
      },
      async loadHistory() {
        const { versions } = await client.getConfigHistory({ query: { limit: '50' } });
        set({ history: versions });
      },
      save: (patch, baseVersion) => saving(() => client.updateConfig({ body: patch, if_match: String(baseVersion) })),
      rollback: (version) => saving(() => client.rollbackConfig({ body: { version } })),
      applyVersion(v) {
        setConfig({ ...v.config, version: v.version });
        const history = get().history;
        if (history.length && !history.some((h) => h.version === v.version)) set({ history: [v, ...history] });
      },
    };
  });
}
export type ConfigStore = ReturnType<typeof createConfigStore>;
