import { createStore } from 'zustand/vanilla';
import type { Trade } from '../../../src-shared/contract';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export interface TradeFilter {
  /** epoch ms, inclusive; null = open-ended */
  from: number | null;
  to: number | null;
}

export interface TradesState {
  filter: TradeFilter;
  pageSize: number;
  rows: Trade[];
  /** the cursor each visited page was fetched with (page 0: null), for Prev */
  cursors: (string | null)[];
  nextCursor: string | null;
  total: number;
  totalPnl: number;
  loading: boolean;
  error: string | null;
  load(filter?: TradeFilter): Promise<void>;
  nextPage(): Promise<void>;
  prevPage(): Promise<void>;
  /** a live trade: counted in the totals, shown at the top when the first page is on screen */
  applyTrade(trade: Trade): void;
}

const PAGE_SIZE = 50;
const inFilter = (t: Trade, f: TradeFilter) => (f.from === null || t.exit_time >= f.from) && (f.to === null || t.exit_time <= f.to);

/** Trade history, one page at a time through the server's cursor: 10,000 trades never reach the DOM at once. */
export function createTradesStore(client: BotClient) {
  return createStore<TradesState>()((set, get) => {
    let request = 0;
    let firstPageMoved = false;
    /** live trades that arrived while a page was being fetched: the response may have been computed before them */
    let arrivedDuringFetch: Trade[] = [];
    async function fetchPage(cursors: (string | null)[], filter: TradeFilter): Promise<void> {
      const mine = ++request;
      arrivedDuringFetch = [];
      set({ loading: true, error: null });
      try {
        const cursor = cursors[cursors.length - 1];
        const page = await client.getTrades({
          query: {
            limit: String(get().pageSize),
            from: filter.from === null ? undefined : String(filter.from),
            to: filter.to === null ? undefined : String(filter.to),
            cursor: cursor ?? undefined,
          },
        });
        if (mine !== request) return; // a newer request (filter change, paging) won
        if (cursors.length === 1) firstPageMoved = false;
        set({
          rows: page.trades,
          nextCursor: page.next_cursor,
          total: page.total,
          totalPnl: page.total_pnl,
          cursors,
          filter,
          loading: false,
        });
        const late = arrivedDuringFetch;
        arrivedDuringFetch = [];
        for (const trade of late) get().applyTrade(trade);
      } catch (e) {
        if (mine === request) set({ loading: false, error: (e as Error).message });
        throw e;
      }
    }
    return {
      filter: { from: null, to: null },
      pageSize: PAGE_SIZE,
      rows: [],
      cursors: [null],
      nextCursor: null,
      total: 0,
      totalPnl: 0,
      loading: false,
      error: null,
      load: (filter = get().filter) => fetchPage([null], filter),
      async nextPage() {
        // live trades pushed rows off the first page: its cursor no longer starts the next page where the screen ends
        if (firstPageMoved && get().cursors.length === 1) await fetchPage([null], get().filter);
        const { nextCursor, cursors, filter } = get();
        if (nextCursor) await fetchPage([...cursors, nextCursor], filter);
      },
      async prevPage() {
        const { cursors, filter } = get();
        if (cursors.length > 1) await fetchPage(cursors.slice(0, -1), filter);
      },
      applyTrade(trade) {
        const s = get();
        if (s.loading) arrivedDuringFetch.push(trade);
        if (!inFilter(trade, s.filter) || s.rows.some((r) => r.id === trade.id)) return;
        const patch: Partial<TradesState> = { total: s.total + 1, totalPnl: s.totalPnl + trade.pnl };
        if (s.cursors.length === 1) {
          const rows = [trade, ...s.rows].sort((a, b) => b.id - a.id);
          patch.rows = rows.slice(0, s.pageSize);
          // the row pushed off the page is now the first of the next one; the cursor (opaque, the server's) is
          // fetched again before paging on
          if (rows.length > s.pageSize) {
            firstPageMoved = true;
            patch.nextCursor = s.nextCursor ?? 'refetch';
          }
        }
        set(patch);
      },
    };
  });
}
export type TradesStore = ReturnType<typeof createTradesStore>;
