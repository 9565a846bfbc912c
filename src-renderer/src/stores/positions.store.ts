import { createStore } from 'zustand/vanilla';
import type { EventData, Position, Trade } from '../../../src-shared/contract';
import type { BotClient } from '../api/bot-client';

export interface PositionsState {
  positions: Position[];
  /** ids with a close request in flight */
  closing: number[];
  refresh(): Promise<void>;
  close(id: number): Promise<Trade>;
  applyEvent(event: EventData<'position'>): void;
}

export function createPositionsStore(client: BotClient) {
  /** events that arrived while a refresh was in flight: the snapshot may predate them, so they are replayed on it */
  let duringRefresh: EventData<'position'>[] | null = null;
  return createStore<PositionsState>()((set, get) => ({
    positions: [],
    closing: [],
    async refresh() {
      const mine: EventData<'position'>[] = [];
      duringRefresh = mine;
      try {
        const positions = await client.getPositions();
        if (duringRefresh !== mine) return; // a newer refresh is on its way
        duringRefresh = null;
        set({ positions });
        for (const event of mine) get().applyEvent(event);
      } finally {
        if (duringRefresh === mine) duringRefresh = null;
      }
    },
    async close(id) {
      set({ closing: [...get().closing, id] });
      try {
        const { trade } = await client.closePosition({ params: { id: String(id) } });
        set({ positions: get().positions.filter((p) => p.id !== id) });
        return trade;
      } finally {
        set({ closing: get().closing.filter((c) => c !== id) });
      }
    },
    applyEvent(event) {
      duringRefresh?.push(event);
      const { status, ...position } = event;
      const others = get().positions.filter((p) => p.id !== position.id);
      set({ positions: status === 'open' ? [...others, position].sort((a, b) => a.id - b.id) : others });
    },
  }));
}
export type PositionsStore = ReturnType<typeof createPositionsStore>;
