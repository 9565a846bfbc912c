import { fileURLToPath } from 'node:url';
import { CANDLE_STRIDE, loadCandleFile, type CandleSeries } from '../src-main/engine/feeds/candle-file';

export const XRP_5M = fileURLToPath(new URL('../resources/sample-XRP_USDT-5m.json', import.meta.url));

/**
 * Real candles repeated up to `minCandles`, time running on: even laps play the file forward, odd laps play it
 * backwards with open and close swapped, so each lap starts where the last one ended and prices stay in the file's
 * own range (continuing the file's drift lap after lap would shrink prices towards a single tick).
 */
export function repeatedSeries(minCandles: number, file = XRP_5M): CandleSeries {
  const base = loadCandleFile(file);
  const n = base.count;
  const laps = Math.ceil(minCandles / n);
  const data = new Float64Array(laps * n * CANDLE_STRIDE);
  const d = base.data;
  const step = d[CANDLE_STRIDE] - d[0];
  for (let lap = 0; lap < laps; lap++) {
    const backwards = lap % 2 === 1;
    for (let i = 0; i < n; i++) {
      const from = (backwards ? n - 1 - i : i) * CANDLE_STRIDE;
      const to = (lap * n + i) * CANDLE_STRIDE;
      data[to] = d[0] + (lap * n + i) * step;
      data[to + 1] = backwards ? d[from + 4] : d[from + 1];
      data[to + 2] = d[from + 2];
      data[to + 3] = d[from + 3];
      data[to + 4] = backwards ? d[from + 1] : d[from + 4];
      data[to + 5] = d[from + 5];
    }
  }
  return { data, count: laps * n };
}
