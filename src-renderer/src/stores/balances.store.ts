import { createStore } from 'zustand/vanilla';
import type { AssetBalance } from '../../../src-shared/contract';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export interface BalancesState {
  balances: AssetBalance[];
  /** why the last refresh failed (the exchange could not be reached), null when it did not */
  error: string | null;
  refresh(): Promise<void>;
}

/** The traded market's two assets, as the exchange (or the paper account) holds them. */
export function createBalancesStore(client: BotClient) {
  return createStore<BalancesState>()((set) => {
    let request = 0;
    return {
      balances: [],
      error: null,
      async refresh() {
        const mine = ++request;
        try {
          const { balances } = await client.getBalances();
          if (mine === request) set({ balances, error: null });
        } catch (e) {
          if (mine === request) set({ error: (e as Error).message });
          throw e;
        }
      },
    };
  });
}
export type BalancesStore = ReturnType<typeof createBalancesStore>;
