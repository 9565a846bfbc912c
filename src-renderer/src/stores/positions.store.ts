import { createStore } from 'zustand/vanilla';
import type { EventData, Position, Trade } from '../../../src-shared/contract';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export interface PositionsState {
  positions: Position[];
  /** ids with a close request in flight */
  closing: number[];
  refresh(): Promise<void>;
  close(id: number): Promise<Trade>;
  applyEvent(event: EventData<'position'>): void;
  /** the position behind a closed trade leaves the list (its trade event carries the id) */
  applyClosed(positionId: number): void;
}

export function createPositionsStore(client: BotClient) {
  /** changes that arrived while a refresh was in flight: the snapshot may predate them, so they are replayed on it */
  let duringRefresh: ((positions: Position[]) => Position[])[] | null = null;
  return createStore<PositionsState>()((set, get) => {
    const change = (apply: (positions: Position[]) => Position[]) => {
      duringRefresh?.push(apply);
      set({ positions: apply(get().positions) });
    };
    return {
      positions: [],
      closing: [],
      async refresh() {
        const mine: ((positions: Position[]) => Position[])[] = [];
        duringRefresh = mine;
        try {
          const positions = await client.getPositions();
          if (duringRefresh !== mine) return; // a newer refresh is on its way
          duringRefresh = null;
          set({ positions: mine.reduce((list, apply) => apply(list), positions) });
        } finally {
          if (duringRefresh === mine) duringRefresh = null;
        }
      },
      async close(id) {
        set({ closing: [...get().closing, id] });
        try {
          const { trade } = await client.closePosition({ params: { id: String(id) } });
          get().applyClosed(trade.position_id);
          return trade;
        } finally {
          set({ closing: get().closing.filter((c) => c !== id) });
        }
      },
      applyEvent(event) {
        const { status, ...position } = event;
        if (status === 'closed') return get().applyClosed(position.id);
        change((list) => [...list.filter((p) => p.id !== position.id), position].sort((a, b) => a.id - b.id));
      },
      applyClosed(id) {
        change((list) => (list.some((p) => p.id === id) ? list.filter((p) => p.id !== id) : list));
      },
    };
  });
}
export type PositionsStore = ReturnType<typeof createPositionsStore>;

/** unrealised P&L and entry fees of the open positions: one sum for every panel that shows them */
export function openTotals(positions: readonly Position[]): { unrealized: number; entryFees: number } {
  let unrealized = 0;
  let entryFees = 0;
  for (const p of positions) {
    unrealized += p.unrealized_pnl;
    entryFees += p.entry_fee;
  }
  return { unrealized, entryFees };
}
