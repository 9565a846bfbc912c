import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { Dashboard } from './dashboard';

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside <DashboardContext.Provider>');
  return dashboard;
}

type Stores = Dashboard['stores'];
type StateOf<K extends keyof Stores> = Stores[K] extends StoreApi<infer S> ? S : never;

/** `useDashboardStore('status', (s) => s.status)`: one selector hook for every store. */
export function useDashboardStore<K extends keyof Stores, T>(name: K, selector: (state: StateOf<K>) => T): T {
  const store: StoreApi<StateOf<K>> = useDashboard().stores[name] as never;
  return useStore<StoreApi<StateOf<K>>, T>(store, selector);
}

/** the traded market's quote currency (USDT for XRP/USDT, BTC for LTC/BTC): the unit of every money figure */
export function useQuote(): string {
  return useDashboardStore('status', (s) => s.status?.stake_currency ?? '');
}
