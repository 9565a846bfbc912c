import { createStore } from 'zustand/vanilla';
import type { Position, Stats, Status, Trade } from '../../../src-shared/contract';
import type { BotClient } from '../../../src-shared/api-client/bot-client';
import { foldTrade, mergeSnapshot } from './stats-ledger';

export type Transition = 'start' | 'stop' | 'pause' | 'resume';

export interface StatusState {
  status: Status | null;
  stats: Stats | null;
  /** the transition or manual operation in flight, to disable its button */
  busy: Transition | 'closeAll' | 'cancelPending' | 'openPosition' | null;
  refresh(): Promise<void>;
  refreshStats(): Promise<void>;
  transition(action: Transition): Promise<void>;
  closeAll(): Promise<Trade[]>;
  cancelPending(): Promise<number>;
  /** a person's entry at market; `sizePct` undefined = the config's position_size_pct */
  openPosition(sizePct?: number): Promise<Position>;
  applyStatus(status: Status): void;
  /** a trade event: its figures enter the stats in the same render as its row */
  applyTrade(trade: Trade): void;
}

const CALLS = { start: 'startBot', stop: 'stopBot', pause: 'pauseBot', resume: 'resumeBot' } as const;
/** trade events kept to fold onto a stats snapshot older than them (far more than arrive during one request) */
const STREAMED_KEPT = 500;

export function createStatusStore(client: BotClient) {
  return createStore<StatusState>()((set, get) => {
    let streamed: Trade[] = [];
    async function busyWhile<T>(busy: NonNullable<StatusState['busy']>, work: () => Promise<T>): Promise<T> {
      set({ busy });
      try {
        return await work();
      } finally {
        set({ busy: null });
      }
    }
    return {
      status: null,
      stats: null,
      busy: null,
      async refresh() {
        get().applyStatus(await client.getStatus());
      },
      async refreshStats() {
        const snapshot = await client.getStats();
        set({ stats: mergeSnapshot(get().stats, snapshot, streamed) });
      },
      transition: (action) =>
        busyWhile(action, async () => {
          const result = await client[CALLS[action]]();
          get().applyStatus(result.status);
        }),
      closeAll: () =>
        busyWhile('closeAll', async () => {
          const result = await client.closeAll();
          get().applyStatus(result.status);
          return result.closed;
        }),
      cancelPending: () =>
        busyWhile('cancelPending', async () => {
          const result = await client.cancelPending();
          void get().refresh();
          return result.cancelled;
        }),
      openPosition: (sizePct) =>
        busyWhile('openPosition', async () => {
          const { position } = await client.openPosition({ body: sizePct === undefined ? {} : { size_pct: sizePct } });
          void get().refresh();
          return position;
        }),
      applyStatus(status) {
        set({ status });
      },
      applyTrade(trade) {
        streamed.push(trade);
        if (streamed.length > STREAMED_KEPT * 2) streamed = streamed.slice(-STREAMED_KEPT);
        const { stats } = get();
        if (stats) set({ stats: foldTrade(stats, trade) });
      },
    };
  });
}
export type StatusStore = ReturnType<typeof createStatusStore>;
