import { createStore } from 'zustand/vanilla';
import type { LogLevel, LogRecord } from '../../../src-shared/contract';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export const LOG_TAIL_MAX = 1000;

/** a record with a stable id for list keys (records themselves carry none) */
export interface LogEntry {
  id: number;
  record: LogRecord;
}

export interface LogsState {
  entries: LogEntry[];
  /** display filter: records at or above this level */
  level: LogLevel;
  /** how many records ever arrived, so a view can tell what is new since it last looked */
  received: number;
  load(): Promise<void>;
  append(records: LogRecord[]): void;
  setLevel(level: LogLevel): void;
}

/** A bounded live tail: the oldest lines fall off past LOG_TAIL_MAX. */
export function createLogsStore(client: BotClient) {
  let nextId = 1;
  const entry = (record: LogRecord): LogEntry => ({ id: nextId++, record });
  return createStore<LogsState>()((set, get) => ({
    entries: [],
    level: 'info',
    received: 0,
    async load() {
      const records = await client.getLogs({ query: { level: 'debug', limit: String(LOG_TAIL_MAX) } });
      const sorted = [...records].sort((a, b) => a.ts - b.ts);
      set({ entries: sorted.map(entry), received: sorted.length });
    },
    append(records) {
      if (!records.length) return;
      const s = get();
      set({ entries: [...s.entries, ...records.map(entry)].slice(-LOG_TAIL_MAX), received: s.received + records.length });
    },
    setLevel(level) {
      set({ level });
    },
  }));
}
export type LogsStore = ReturnType<typeof createLogsStore>;
