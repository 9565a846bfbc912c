import { createStore } from 'zustand/vanilla';
import type { Candle, EquityPoint, Trade } from '../../../src-shared/contract';
import type { BotClient } from '../api/bot-client';

const CHART_CANDLES = 300;
const TAIL_CANDLES = 20;
const CHART_TRADES = 300;
const EQUITY_POINTS = 2000;

export interface MarketState {
  symbol: string;
  timeframe: string;
  candles: Candle[];
  equity: EquityPoint[];
  /** closed trades inside the candle window, for entry/exit markers */
  chartTrades: Trade[];
  load(): Promise<void>;
  /** fetch only what is new since the last candle / equity point */
  refreshTail(): Promise<void>;
  applyTrade(trade: Trade): void;
}

/** Merge by timestamp: a newer copy of a candle (still forming, or re-sent) replaces the old one. */
function mergeByTs<T extends { ts: number }>(old: T[], fresh: T[], keep: number): T[] {
  if (!fresh.length) return old;
  const firstFresh = fresh[0].ts;
  const kept = old.filter((c) => c.ts < firstFresh);
  return [...kept, ...fresh].slice(-keep);
}

export function createMarketStore(client: BotClient) {
  return createStore<MarketState>()((set, get) => ({
    symbol: '',
    timeframe: '',
    candles: [],
    equity: [],
    chartTrades: [],
    async load() {
      const [market, equity] = await Promise.all([
        client.getCandles({ query: { limit: String(CHART_CANDLES) } }),
        client.getEquity({ query: { limit: String(EQUITY_POINTS) } }),
      ]);
      const from = market.candles[0]?.ts;
      const trades = await client.getTrades({ query: { limit: String(CHART_TRADES), from: from === undefined ? undefined : String(from) } });
      // keep live trades that arrived while loading (the responses may predate them)
      const known = new Set(trades.trades.map((t) => t.id));
      const live = get().chartTrades.filter((t) => !known.has(t.id) && t.exit_time >= (from ?? 0));
      const chartTrades = [...live, ...trades.trades].sort((a, b) => b.id - a.id).slice(0, CHART_TRADES);
      set({ symbol: market.symbol, timeframe: market.timeframe, candles: market.candles, equity: equity.points, chartTrades });
    },
    async refreshTail() {
      const s = get();
      const lastEquity = s.equity[s.equity.length - 1]?.ts;
      const [market, equity] = await Promise.all([
        client.getCandles({ query: { limit: String(TAIL_CANDLES) } }),
        client.getEquity({ query: { limit: '500', from: lastEquity === undefined ? undefined : String(lastEquity + 1) } }),
      ]);
      if (market.symbol !== s.symbol || market.timeframe !== s.timeframe) return get().load();
      const candles = mergeByTs(get().candles, market.candles, CHART_CANDLES);
      const firstTs = candles[0]?.ts ?? 0;
      set({
        candles,
        equity: mergeByTs(get().equity, equity.points, EQUITY_POINTS),
        chartTrades: get().chartTrades.filter((t) => t.exit_time >= firstTs),
      });
    },
    applyTrade(trade) {
      const trades = get().chartTrades;
      if (trades.some((t) => t.id === trade.id)) return;
      set({ chartTrades: [trade, ...trades].slice(0, CHART_TRADES) });
    },
  }));
}
export type MarketStore = ReturnType<typeof createMarketStore>;
