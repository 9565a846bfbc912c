import type { Candle } from '../../../src-shared/contract';
import type { MarketFeed } from '../ports/market-feed.port';
import { CANDLE_STRIDE, type CandleSeries } from './candle-file';

/**
 * Replays a candle file forever. Each lap continues where the last one ended: timestamps shifted past the previous
 * lap and prices scaled so the first open of the new lap equals the last close, so no gap looks like a crash.
 * A new run starts `warmup` candles in, so the strategy is warm and trades come within the first minute.
 */
export class ReplayFeed implements MarketFeed {
  readonly kind = 'replay' as const;
  private index: number;
  private lap = 0;
  private readonly lapSpan: number;
  private readonly lapFactor: number;

  constructor(
    private readonly series: CandleSeries,
    readonly description: string,
    private readonly warmup = 100,
  ) {
    const d = series.data;
    const last = (series.count - 1) * CANDLE_STRIDE;
    const step = series.count > 1 ? d[CANDLE_STRIDE] - d[0] : 60_000;
    this.lapSpan = d[last] - d[0] + step;
    this.lapFactor = d[last + 4] / d[1];
    this.index = Math.min(warmup, series.count - 1);
  }

  get referencePrice(): number {
    return this.series.data[1];
  }

  seek(afterTs: number | null): void {
    if (afterTs === null) {
      this.lap = 0;
      this.index = Math.min(this.warmup, this.series.count - 1);
      return;
    }
    const first = this.series.data[0];
    this.lap = Math.max(0, Math.floor((afterTs - first) / this.lapSpan));
    const inLap = afterTs - this.lap * this.lapSpan;
    let i = 0;
    while (i < this.series.count && this.series.data[i * CANDLE_STRIDE] <= inLap) i++;
    this.index = i;
    if (this.index >= this.series.count) {
      this.index = 0;
      this.lap++;
    }
  }

  history(n: number): Candle[] {
    const out: Candle[] = [];
    let lap = this.lap;
    let i = this.index;
    while (out.length < n) {
      i--;
      if (i < 0) {
        if (lap === 0) break;
        lap--;
        i = this.series.count - 1;
      }
      out.push(this.candle(lap, i));
    }
    return out.reverse();
  }

  next(): Candle {
    const c = this.candle(this.lap, this.index);
    this.index++;
    if (this.index >= this.series.count) {
      this.index = 0;
      this.lap++;
    }
    return c;
  }

  private candle(lap: number, i: number): Candle {
    const d = this.series.data;
    const at = i * CANDLE_STRIDE;
    const f = lap === 0 ? 1 : this.lapFactor ** lap;
    return {
      ts: d[at] + lap * this.lapSpan,
      open: d[at + 1] * f,
      high: d[at + 2] * f,
      low: d[at + 3] * f,
      close: d[at + 4] * f,
      volume: d[at + 5],
    };
  }
}
