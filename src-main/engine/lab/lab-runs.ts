import type { BacktestResultData, BotConfig, Stats } from '../../../src-shared/contract';
import { runBacktest } from '../backtest/backtest';
import { CANDLE_STRIDE, type CandleSeries } from '../feeds/candle-file';

/** the candles from index `from` to the end, or up to index `to` (exclusive), without copying */
function slice(series: CandleSeries, from: number, to = series.count): CandleSeries {
  return { data: series.data.subarray(from * CANDLE_STRIDE, to * CANDLE_STRIDE), count: to - from };
}

/** index of the first candle opening at or after `ts` */
function indexAt(series: CandleSeries, ts: number): number {
  let lo = 0;
  let hi = series.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series.data[mid * CANDLE_STRIDE] < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One lab run through the CLI's backtest (the same engine as paper and live, docs/contract.md §11). With a split,
 * the in-sample part and the out-of-sample part are run apart, each from the same starting balance, so the second
 * shows how the parameters do on candles they were not chosen on.
 */
export async function runOne(o: {
  series: CandleSeries;
  split: number | null;
  config: BotConfig;
  full: boolean;
}): Promise<{ in_sample: Stats; out_of_sample: Stats | null; full?: BacktestResultData }> {
  const cut = o.split === null ? o.series.count : indexAt(o.series, o.split);
  const inSample = await runBacktest({ series: slice(o.series, 0, cut), config: o.config });
  const outOfSample =
    o.split === null || cut >= o.series.count ? null : await runBacktest({ series: slice(o.series, cut), config: o.config });
  return { in_sample: inSample.stats, out_of_sample: outOfSample?.stats ?? null, ...(o.full ? { full: inSample } : {}) };
}
