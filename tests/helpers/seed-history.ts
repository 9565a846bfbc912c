// Fills a bot database with a long history through the engine's own write path (trading core, executor, paper
// exchange, SqliteStore journal and equity appends), batched into large transactions so a year of 1-minute candles
// takes seconds. For the growth test and the history benchmark.
import {
  DEFAULT_CONFIG,
  TIMEFRAME_MS,
  mergeConfigPatch,
  withConfigDefaults,
  type BotConfig,
  type EquityPoint,
} from '../../src-shared/contract';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { PaperExchange } from '../../src-main/engine/adapters/paper/paper.exchange';
import { ConfigManager } from '../../src-main/engine/config/config-manager';
import { Executor } from '../../src-main/engine/execution/executor';
import { TradingCore } from '../../src-main/engine/trading-core';
import { paperMarketRules } from '../../src-main/engine/market/precision';
import { isPromise } from '../../src-main/engine/ports/exchange.port';
import { CANDLE_STRIDE, type CandleSeries } from '../../src-main/engine/feeds/candle-file';
import type { LogRecord, Trade } from '../../src-shared/contract';
import { LOG_ROWS_KEPT } from '../../src-main/app/runtime';
import { repeatedSeries } from '../../bench/series';

/** where the synthetic feed starts: seeded history ends before it, so a runtime opened on it trades on from there */
export const SYNTHETIC_START = Date.UTC(2024, 0, 1);

export interface SeededHistory {
  candles: number;
  trades: number;
  firstTs: number;
  lastTs: number;
}

/**
 * `candles` real candles from `file` (repeated as the benchmarks do; default the bundled XRP/USDT 5m sample), moved in
 * time so the last one closes when the synthetic feed starts: a runtime opened on the seeded database trades on from there.
 */
export function historySeries(candles: number, timeframeMs: number, file?: string): CandleSeries {
  const d = repeatedSeries(candles, file).data.subarray(0, candles * CANDLE_STRIDE);
  const shift = SYNTHETIC_START - timeframeMs - d[(candles - 1) * CANDLE_STRIDE];
  for (let i = 0; i < candles; i++) d[i * CANDLE_STRIDE] += shift;
  return { data: d, count: candles };
}

/**
 * Trades `series` into a new database at `dataDir` as the bot would (one equity point per candle), closes what is
 * still open at the end, and leaves the database ready for a runtime to open. `onTrade` sees every trade as it closes.
 */
export function seedHistory(o: {
  dataDir: string;
  series: CandleSeries;
  config?: Partial<BotConfig>;
  /** candles per transaction */
  batch?: number;
  onTrade?: (trade: Trade, store: SqliteStore) => void;
}): SeededHistory {
  const store = new SqliteStore(o.dataDir);
  try {
    // as a user's config: a market with another quote brings that quote's paper balance
    const config = withConfigDefaults(mergeConfigPatch(DEFAULT_CONFIG, { max_daily_loss_pct: 0, ...o.config }) as BotConfig);
    const startEquity = config.paper_balance;
    store.setMeta('start_equity', String(startEquity));
    const manager = new ConfigManager(store, Date.now(), config);
    const version = manager.current.version;
    const d = o.series.data;
    const rules = paperMarketRules(config.symbol, d[4]);
    const exchange = new PaperExchange({
      rules,
      startingQuote: startEquity,
      feePct: config.fee_pct,
      slippagePct: config.slippage_pct,
      journal: store.paperJournal(),
    });
    let trades = 0;
    // the lines the bot logs for each position, so the log table grows as it would
    const logs: LogRecord[] = [];
    const executor = new Executor(exchange, store, rules, {
      positionOpened: (p) =>
        logs.push({
          ts: p.opened_at,
          level: 'info',
          msg: `opened position #${p.id}: ${p.amount} ${p.symbol} at ${p.entry_price}`,
          position_id: p.id,
        }),
      positionClosed: (p, t) => {
        trades++;
        logs.push({
          ts: t.exit_time,
          level: 'info',
          msg: `closed position #${p.id} (${t.exit_reason}): pnl ${t.pnl.toFixed(4)}`,
          trade_id: t.id,
        });
        o.onTrade?.(t, store);
      },
    });
    const core = new TradingCore({ exchange, executor, rules, startEquity, config: { current: { config, version } } });
    const batch = o.batch ?? 20_000;
    const points: EquityPoint[] = [];
    for (let from = 0; from < o.series.count; from += batch) {
      store.atomically(() => {
        const to = Math.min(o.series.count, from + batch);
        for (let i = from; i < to; i++) {
          if (isPromise(core.processCandleAt(d, i * CANDLE_STRIDE))) throw new Error('the paper exchange answered asynchronously');
          points.push({ ts: core.lastTs, equity: core.equity });
        }
        store.appendEquity(points.splice(0), core.marks);
        store.appendLogs(logs.splice(0), LOG_ROWS_KEPT);
        store.setMeta('last_candle_ts', String(d[(to - 1) * CANDLE_STRIDE]));
      });
    }
    store.atomically(() => {
      if (isPromise(executor.exitAll('close_all'))) throw new Error('the paper exchange answered asynchronously');
    });
    const last = (o.series.count - 1) * CANDLE_STRIDE;
    return {
      candles: o.series.count,
      trades,
      firstTs: d[0] + TIMEFRAME_MS[config.timeframe],
      lastTs: d[last] + TIMEFRAME_MS[config.timeframe],
    };
  } finally {
    store.close();
  }
}
