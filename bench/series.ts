import { fileURLToPath } from 'node:url';
import { CANDLE_STRIDE, loadCandleFile, type CandleSeries } from '../src-main/engine/feeds/candle-file';

export const XRP_5M = fileURLToPath(new URL('../resources/sample-XRP_USDT-5m.json', import.meta.url));

/** Real candles repeated end to end (each lap continues the last one's price and time) up to `minCandles`. */
export function repeatedSeries(minCandles: number, file = XRP_5M): CandleSeries {
  const base = loadCandleFile(file);
  const laps = Math.ceil(minCandles / base.count);
  const data = new Float64Array(laps * base.count * CANDLE_STRIDE);
  const d = base.data;
  const last = (base.count - 1) * CANDLE_STRIDE;
  const span = d[last] - d[0] + (d[CANDLE_STRIDE] - d[0]);
  let factor = 1;
  for (let lap = 0; lap < laps; lap++) {
    for (let i = 0; i < base.count; i++) {
      const from = i * CANDLE_STRIDE;
      const to = (lap * base.count + i) * CANDLE_STRIDE;
      data[to] = d[from] + lap * span;
      for (let f = 1; f <= 4; f++) data[to + f] = Math.round(d[from + f] * factor * 1e4) / 1e4;
      data[to + 5] = d[from + 5];
    }
    factor *= d[last + 4] / d[1];
  }
  return { data, count: laps * base.count };
}
