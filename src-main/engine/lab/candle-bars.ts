import type { Candle } from '../../../src-shared/contract';
import { CANDLE_STRIDE, type CandleSeries } from '../feeds/candle-file';

/**
 * A stored range as at most `maxBars` bars for a chart: the candles themselves when they fit, else runs of `group`
 * consecutive candles merged (first open, highest high, lowest low, last close, summed volume), so a year of 5-minute
 * candles still shows whole and every wick stays visible. `barMs` is the width of one bar.
 */
export function mergeBars(series: CandleSeries, stepMs: number, maxBars: number): { barMs: number; candles: Candle[] } {
  const d = series.data;
  if (series.count === 0) return { barMs: stepMs, candles: [] };
  // the span counts the missing candles too, so however gappy the range it never makes more than maxBars bars (one
  // kept spare: the epoch grid may cut a bar off at each end)
  const slots = Math.round((d[(series.count - 1) * CANDLE_STRIDE] - d[0]) / stepMs) + 1;
  const group = slots <= maxBars ? 1 : Math.ceil(slots / Math.max(1, maxBars - 1));
  const barMs = stepMs * group;
  const out: Candle[] = [];
  let bar: Candle | null = null;
  for (let i = 0; i < series.count; i++) {
    const at = i * CANDLE_STRIDE;
    // bars sit on the epoch's grid of barMs (as trade markers are bucketed), so gaps never shift later bars
    const start = Math.floor(d[at] / barMs) * barMs;
    if (!bar || bar.ts !== start) {
      bar = { ts: start, open: d[at + 1], high: d[at + 2], low: d[at + 3], close: d[at + 4], volume: d[at + 5] };
      out.push(bar);
      continue;
    }
    bar.high = Math.max(bar.high, d[at + 2]);
    bar.low = Math.min(bar.low, d[at + 3]);
    bar.close = d[at + 4];
    bar.volume += d[at + 5];
  }
  return { barMs, candles: out };
}
