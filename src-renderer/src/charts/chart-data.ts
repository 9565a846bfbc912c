import type { ISeriesApi, SeriesType, Time, UTCTimestamp } from 'lightweight-charts';
import type { EquityPoint } from '../../../src-shared/contract';

export const toChartTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

/**
 * Push a time-ordered array into a series: only the bars from the last shown one onward when the array merely grew
 * or its last bar changed (the common case, once a second), a full setData otherwise. Updating an older bar than
 * the last one throws in lightweight-charts, which this avoids.
 */
export function syncSeries<D extends { time: Time }>(
  series: ISeriesApi<SeriesType>,
  data: D[],
  shown: { first: number | null; last: number | null; count: number },
): void {
  const first = data.length ? (data[0].time as number) : null;
  const last = data.length ? (data[data.length - 1].time as number) : null;
  const incremental =
    shown.first !== null &&
    shown.last !== null &&
    first === shown.first &&
    last !== null &&
    last >= shown.last &&
    data.length >= shown.count;
  if (incremental) {
    const lastShown = shown.last as number;
    let k = data.length - 1;
    while (k > 0 && (data[k - 1].time as number) >= lastShown) k--;
    for (let j = k; j < data.length; j++) series.update(data[j] as never);
  } else {
    series.setData(data as never);
  }
  shown.first = first;
  shown.last = last;
  shown.count = data.length;
}

/** equity points → line data with strictly increasing seconds: points sharing a second after ms → s keep the last */
export function equityLineData(points: readonly EquityPoint[]): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const p of points) {
    const time = toChartTime(p.ts);
    if (out.length && out[out.length - 1].time === time) out[out.length - 1].value = p.equity;
    else if (!out.length || out[out.length - 1].time < time) out.push({ time, value: p.equity });
  }
  return out;
}
