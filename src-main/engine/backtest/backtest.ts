import { quoteOf, type BotConfig, type EquityPoint, type Stats, type Trade } from '../../../src-shared/contract';
import { PaperExchange } from '../adapters/paper/paper.exchange';
import { Executor } from '../execution/executor';
import { isPromise } from '../ports/exchange.port';
import { MemoryJournal } from '../ports/journal.port';
import { paperMarketRules } from '../market/precision';
import { TradingCore } from '../trading-core';
import { CANDLE_STRIDE, type CandleSeries } from '../feeds/candle-file';
import { computeStats } from '../stats';
import { objectList } from '../fresh-lists';

export interface BacktestResult {
  config: BotConfig;
  stats: Stats;
  trades: Trade[];
  equity: EquityPoint[];
}

export const BACKTEST_START_EQUITY = 10_000;

/**
 * Run the live engine (same core, executor, risk and strategy) over a candle series with a paper exchange,
 * as fast as it goes: no awaits while the exchange answers synchronously, nothing allocated per candle.
 * A kill-switch halt lasts until the next UTC day (there is no one to press resume).
 */
/**
 * Candles from `from` on, synchronously, until the end or until a cycle returns a promise; an equity point after
 * every `every`-th candle and the last. The core takes the candles between two points as one run.
 */
function runCandles(
  core: TradingCore,
  series: CandleSeries,
  from: number,
  every: number,
  equity: EquityPoint[],
): { pending: Promise<unknown> | null; next: number } {
  const last = series.count - 1;
  for (let i = from; i <= last;) {
    // the next candle that gets a point: a multiple of `every`, or the last
    const point = Math.min(Math.ceil(i / every) * every, last);
    const r = core.processCandlesAt(series.data, i * CANDLE_STRIDE, point - i + 1);
    i += core.cycled;
    if (i === point + 1) equity.push({ ts: core.lastTs, equity: core.equity });
    if (r !== undefined && isPromise(r)) return { pending: r, next: i };
  }
  return { pending: null, next: series.count };
}

export async function runBacktest(opts: {
  series: CandleSeries;
  config: BotConfig;
  startEquity?: number;
  equityPoints?: number;
}): Promise<BacktestResult> {
  const { series, config } = opts;
  const startEquity = opts.startEquity ?? config.paper_balance ?? BACKTEST_START_EQUITY;
  const d = series.data;
  const rules = paperMarketRules(config.symbol, d[4]);
  const exchange = new PaperExchange({ rules, startingQuote: startEquity, feePct: config.fee_pct, slippagePct: config.slippage_pct });
  const journal = new MemoryJournal(false);
  const executor = new Executor(exchange, journal, rules);
  const core = new TradingCore({ exchange, executor, rules, startEquity, config: { current: { config, version: 1 } } });
  core.entriesAllowed = true;

  const maxPoints = Math.max(2, opts.equityPoints ?? 2000);
  const every = Math.max(1, Math.ceil(series.count / maxPoints));
  const equity: EquityPoint[] = objectList();
  // the candle loop lives in a plain function (optimised as a whole; an async one would box every price it reads)
  // and only hands back to this one when the exchange answered with a promise
  for (let from = 0; from < series.count;) {
    const stop = runCandles(core, series, from, every, equity);
    if (stop.pending === null) break;
    await stop.pending;
    from = stop.next;
  }
  const lastPrice = d[(series.count - 1) * CANDLE_STRIDE + 4];
  const stats = computeStats({
    trades: journal.trades,
    startEquity,
    openPositions: executor.openPositions().map((p) => executor.toPosition(p, lastPrice)),
    maxDrawdownPct: core.maxDrawdownPct,
    todayStart: core.dayStart,
    nowTs: core.lastTs,
    stakeCurrency: quoteOf(config.symbol),
  });
  return { config, stats, trades: journal.trades, equity };
}
