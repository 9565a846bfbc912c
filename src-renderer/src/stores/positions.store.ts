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
  /** a trade sold its position (it leaves the list) or, when the exit filled in part, that part of it */
  applyTrade(trade: Trade): void;
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
          get().applyTrade(trade);
          return trade;
        } finally {
          set({ closing: get().closing.filter((c) => c !== id) });
        }
      },
      applyEvent(event) {
        const { status, ...position } = event;
        if (status === 'closed') return change((list) => list.filter((p) => p.id !== position.id));
        change((list) => [...list.filter((p) => p.id !== position.id), position].sort((a, b) => a.id - b.id));
      },
      applyTrade(trade) {
        change((list) => {
          const held = list.find((p) => p.id === trade.position_id);
          if (!held) return list;
          if (trade.amount >= held.amount * (1 - 1e-9)) return list.filter((p) => p !== held);
          return list.map((p) => (p === held ? soldPart(p, trade.amount) : p));
        });
      },
    };
  });
}
/** what is left of a position after `sold` of it: the server's own split (its share of the entry fee goes with it) */
function soldPart(p: Position, sold: number): Position {
  const amount = p.amount - sold;
  const entryFee = p.entry_fee * (amount / p.amount);
  return { ...p, amount, entry_fee: entryFee, unrealized_pnl: (p.current_price - p.entry_price) * amount - entryFee };
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
