import type { Candle } from '../../../src-shared/contract';
import { CANDLE_STRIDE, type CandleSeries } from '../feeds/candle-file';

/**
 * A stored range as at most `maxBars` bars for a chart: the candles themselves when they fit, else runs of `group`
 * consecutive candles merged (first open, highest high, lowest low, last close, summed volume), so a year of 5-minute
 * candles still shows whole and every wick stays visible. `barMs` is the width of one bar.
 */
export function mergeBars(series: CandleSeries, stepMs: number, maxBars: number): { barMs: number; candles: Candle[] } {
  const group = Math.max(1, Math.ceil(series.count / Math.max(1, maxBars)));
  const barMs = stepMs * group;
  const d = series.data;
  const out: Candle[] = [];
  let bar: Candle | null = null;
  for (let i = 0; i < series.count; i++) {
    const at = i * CANDLE_STRIDE;
    // bars sit on a grid of barMs, so gaps in the data never shift later bars
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
