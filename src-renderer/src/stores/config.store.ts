import { createStore } from 'zustand/vanilla';
import type { BotConfig, ConfigPatch, ConfigVersion, VersionedConfig } from '../../../src-shared/contract';
import { ApiError } from '../../../src-shared/api-client/api-error';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export type SaveOutcome = { ok: true; version: number } | { ok: false; message: string; fields: Record<string, string>; status: number };

/** A whole config proposed from elsewhere (the lab's "apply to the bot"): the editor opens on it, with its diff. */
export interface ConfigProposal {
  config: BotConfig;
  /** where it came from, kept in the config history (PUT /bot/config?source=, docs/contract.md §4) */
  source: string;
}

export interface ConfigState {
  config: VersionedConfig | null;
  history: ConfigVersion[];
  saving: boolean;
  proposal: ConfigProposal | null;
  propose(proposal: ConfigProposal | null): void;
  load(): Promise<void>;
  loadHistory(): Promise<void>;
  /** sends only the changed keys, with If-Match on the version the form was built from; `source` names where they came from */
  save(patch: ConfigPatch, baseVersion: number, source?: string): Promise<SaveOutcome>;
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
      proposal: null,
      propose: (proposal) => set({ proposal }),
      async load() {
        set({ config: await client.getConfig() });
      },
      async loadHistory() {
        const { versions } = await client.getConfigHistory({ query: { limit: '50' } });
        set({ history: versions });
      },
      save: (patch, baseVersion, source) =>
        saving(() => client.updateConfig({ body: patch, if_match: String(baseVersion), query: source ? { source } : {} })),
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
