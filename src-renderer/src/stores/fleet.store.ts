import { createStore } from 'zustand/vanilla';
import { errorMessage } from '../../../src-shared/api-client/api-error';
import type { BotClient } from '../../../src-shared/api-client/bot-client';
import { fleetTotals } from '../../../src-shared/connection-safety';
import {
  StatusSchema,
  type FleetAction,
  type FleetAlert,
  type FleetBot,
  type FleetEventData,
  type FleetOutcome,
  type FleetTotal,
  type Position,
} from '../../../src-shared/contract';
import type { FleetFeed } from '../api/fleet-feed';

const ALERTS_KEPT = 30;

export interface FleetState {
  bots: FleetBot[];
  totals: FleetTotal[];
  alerts: FleetAlert[];
  loaded: boolean;
  /** the action in flight per bot id ('*' for fleet-wide ones), to disable its buttons */
  busy: Record<string, FleetAction | 'pause-all' | 'close-all-everywhere' | undefined>;
  /** the last fleet-wide action's per-bot outcomes */
  outcomes: { title: string; list: FleetOutcome[] } | null;
  load(): Promise<void>;
  control(id: string, action: FleetAction): Promise<void>;
  pauseAll(): Promise<void>;
  closeAllEverywhere(): Promise<void>;
  /** every bot's open positions, for the close-all confirmation (a bot that cannot answer says why) */
  positionsEverywhere(): Promise<{ bot: FleetBot; positions: Position[] | null; error: string | null }[]>;
  add(input: { name: string; url: string; token: string; vpn_confirmed?: boolean }): Promise<FleetBot>;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
  dismissOutcomes(): void;
  apply(data: FleetEventData): void;
  /** many events in one store update (one render) */
  applyAll(list: FleetEventData[]): void;
}

const replaceRow = (bots: FleetBot[], bot: FleetBot) => {
  const i = bots.findIndex((b) => b.id === bot.id);
  return i === -1 ? [...bots, bot] : bots.map((b, j) => (j === i ? bot : b));
};

/** one hub event applied to the rows: a row replaces its row, a bot's own event moves its health (and status) */
function reduceRows(bots: FleetBot[], data: Exclude<FleetEventData, { kind: 'alert' }>): FleetBot[] {
  if (data.kind === 'row') return replaceRow(bots, data.bot);
  if (data.kind === 'removed') return bots.filter((b) => b.id !== data.bot_id);
  const bot = bots.find((b) => b.id === data.bot_id);
  if (!bot) return bots;
  const health = { ...bot.health, last_event_at: Date.now(), last_seq: data.event.seq };
  let status = bot.status;
  if (data.event.type === 'status_change') {
    const parsed = StatusSchema.safeParse(data.event.data);
    if (parsed.success) status = parsed.data;
  }
  // equity and today's P&L as the bot marked them together: the bot's own dashboard shows these figures
  return replaceRow(bots, { ...bot, status, today_pnl: status?.today_pnl ?? null, health });
}

/** hub events are applied in batches at most this often: one render for a burst from many bots */
const APPLY_EVERY_MS = 16;

/**
 * The fleet overview's state: rows from the hub (`getFleet`), kept current by the hub's `fleet` events — a row
 * update replaces the row, a bot's own event moves its health (last event) and, for a status, its figures at once.
 */
export function createFleetStore(hub: BotClient, onAlert: (alert: FleetAlert) => void) {
  return createStore<FleetState>()((set, get) => {
    const withRows = (bots: FleetBot[]) => set({ bots, totals: fleetTotals(bots) });
    const upsert = (bot: FleetBot) => withRows(replaceRow(get().bots, bot));
    const busyWhile = async <T>(key: string, action: NonNullable<FleetState['busy'][string]>, work: () => Promise<T>): Promise<T> => {
      set({ busy: { ...get().busy, [key]: action } });
      try {
        return await work();
      } finally {
        set({ busy: { ...get().busy, [key]: undefined } });
      }
    };
    return {
      bots: [],
      totals: [],
      alerts: [],
      loaded: false,
      busy: {},
      outcomes: null,
      async load() {
        const fleet = await hub.getFleet();
        set({ bots: fleet.bots, totals: fleet.totals, loaded: true });
      },
      control: (id, action) =>
        busyWhile(id, action, async () => {
          const { bot } = await hub.controlFleetBot({ params: { id }, body: { action } });
          upsert(bot);
        }),
      pauseAll: () =>
        busyWhile('*', 'pause-all', async () => {
          const r = await hub.pauseAll();
          set({ outcomes: { title: 'Pause all', list: r.outcomes } });
        }),
      closeAllEverywhere: () =>
        busyWhile('*', 'close-all-everywhere', async () => {
          const r = await hub.closeAllEverywhere();
          set({ outcomes: { title: 'Close all everywhere', list: r.outcomes } });
        }),
      positionsEverywhere: () =>
        Promise.all(
          get().bots.map(async (bot) => {
            try {
              const { result } = await hub.callFleetBot({ params: { id: bot.id }, body: { operation: 'getPositions' } });
              return { bot, positions: result as Position[], error: null };
            } catch (e) {
              return { bot, positions: null, error: errorMessage(e) };
            }
          }),
        ),
      async add(input) {
        const { bot } = await hub.addFleetBot({ body: input });
        upsert(bot);
        return bot;
      },
      async rename(id, name) {
        const { bot } = await hub.renameFleetBot({ params: { id }, body: { name } });
        upsert(bot);
      },
      async remove(id) {
        await hub.removeFleetBot({ params: { id } });
        withRows(get().bots.filter((b) => b.id !== id));
      },
      dismissOutcomes: () => set({ outcomes: null }),
      apply(data) {
        get().applyAll([data]);
      },
      applyAll(list) {
        let bots = get().bots;
        let alerts = get().alerts;
        for (const data of list) {
          if (data.kind === 'alert') {
            alerts = [data.alert, ...alerts].slice(0, ALERTS_KEPT);
            onAlert(data.alert);
          } else bots = reduceRows(bots, data);
        }
        set({ bots, totals: bots === get().bots ? get().totals : fleetTotals(bots), alerts });
      },
    };
  });
}
export type FleetStore = ReturnType<typeof createFleetStore>;

/** The fleet store fed by the hub's stream; reloaded after every (re)connection since events may have been missed. */
export function connectFleet(hub: BotClient, feed: FleetFeed, onAlert: (alert: FleetAlert) => void) {
  const store = createFleetStore(hub, onAlert);
  let queued: FleetEventData[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const list = queued;
    queued = [];
    store.getState().applyAll(list);
  };
  const stopEvents = feed.subscribe((data) => {
    queued.push(data);
    timer ??= setTimeout(flush, APPLY_EVERY_MS);
  });
  const reload = () =>
    void store
      .getState()
      .load()
      .catch(() => undefined);
  const stopConnection = feed.connection.subscribe((c) => {
    if (c === 'connected') reload();
  });
  reload();
  return {
    store,
    feed,
    dispose() {
      if (timer) clearTimeout(timer);
      stopEvents();
      stopConnection();
      feed.close();
    },
  };
}
export type FleetConnection = ReturnType<typeof connectFleet>;
