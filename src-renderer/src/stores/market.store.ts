import { createStore } from 'zustand/vanilla';
import type { Candle, EquityPoint, Status, Trade } from '../../../src-shared/contract';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

const CHART_CANDLES = 300;
const TAIL_CANDLES = 20;
const CHART_TRADES = 300;
const EQUITY_POINTS = 2000;

export interface MarketState {
  symbol: string;
  timeframe: string;
  candles: Candle[];
  /** the stored curve, then the status's current figure as its newest point (one source with the status card) */
  equity: EquityPoint[];
  /** closed trades inside the candle window, for entry/exit markers */
  chartTrades: Trade[];
  load(): Promise<void>;
  /** fetch only what is new since the last candle / equity point */
  refreshTail(): Promise<void>;
  applyTrade(trade: Trade): void;
  applyStatus(status: Status): void;
}

/**
 * The curve as shown: the stored points up to the status's figure, then that figure as the newest point. Stored points
 * the status has not reached yet wait, so the chart never runs ahead of the status card (one source, one number).
 */
function shownCurve(stored: EquityPoint[], live: EquityPoint | null): EquityPoint[] {
  if (!live) return stored;
  let cut = stored.length;
  while (cut > 0 && stored[cut - 1].ts >= live.ts) cut--;
  return [...stored.slice(Math.max(0, cut - EQUITY_POINTS + 1), cut), live];
}

/** Merge by timestamp: a newer copy of a candle (still forming, or re-sent) replaces the old one. */
function mergeByTs<T extends { ts: number }>(old: T[], fresh: T[], keep: number): T[] {
  if (!fresh.length) return old;
  const firstFresh = fresh[0].ts;
  const kept = old.filter((c) => c.ts < firstFresh);
  return [...kept, ...fresh].slice(-keep);
}

export function createMarketStore(client: BotClient) {
  let livePoint: EquityPoint | null = null;
  /** the stored curve as fetched; the next refresh asks only for what follows its newest point */
  let stored: EquityPoint[] = [];
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
      const trades = await client.getTrades({
        query: { limit: String(CHART_TRADES), from: from === undefined ? undefined : String(from) },
      });
      // keep live trades that arrived while loading (the responses may predate them)
      const known = new Set(trades.trades.map((t) => t.id));
      const streamed = get().chartTrades.filter((t) => !known.has(t.id) && t.exit_time >= (from ?? 0));
      const chartTrades = [...streamed, ...trades.trades].sort((a, b) => b.id - a.id).slice(0, CHART_TRADES);
      stored = equity.points;
      set({
        symbol: market.symbol,
        timeframe: market.timeframe,
        candles: market.candles,
        equity: shownCurve(stored, livePoint),
        chartTrades,
      });
    },
    async refreshTail() {
      const s = get();
      const lastEquity = stored[stored.length - 1]?.ts;
      const [market, equity] = await Promise.all([
        client.getCandles({ query: { limit: String(TAIL_CANDLES) } }),
        client.getEquity({ query: { limit: '500', from: lastEquity === undefined ? undefined : String(lastEquity + 1) } }),
      ]);
      if (market.symbol !== s.symbol || market.timeframe !== s.timeframe) return get().load();
      const candles = mergeByTs(get().candles, market.candles, CHART_CANDLES);
      const firstTs = candles[0]?.ts ?? 0;
      stored = mergeByTs(stored, equity.points, EQUITY_POINTS);
      set({
        candles,
        equity: shownCurve(stored, livePoint),
        chartTrades: get().chartTrades.filter((t) => t.exit_time >= firstTs),
      });
    },
    applyStatus(status) {
      if (status.equity_ts === null) return;
      const prev = livePoint;
      if (prev && prev.ts === status.equity_ts && prev.equity === status.equity) return;
      livePoint = { ts: status.equity_ts, equity: status.equity };
      set({ equity: shownCurve(stored, livePoint) });
    },
    applyTrade(trade) {
      const trades = get().chartTrades;
      if (trades.some((t) => t.id === trade.id)) return;
      set({ chartTrades: [trade, ...trades].slice(0, CHART_TRADES) });
    },
  }));
}
export type MarketStore = ReturnType<typeof createMarketStore>;
