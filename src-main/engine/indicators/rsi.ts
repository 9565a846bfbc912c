/**
 * Relative strength index with Wilder's smoothing: the first average gain/loss is the simple mean of the first
 * `period` changes, then avg = (avg × (period − 1) + x) / period. O(1) per update, no allocation (number fields and
 * a small `updateAt`, as in ema.ts). The value itself is worked out when read: a strategy reads it on the few candles
 * where it matters, and its two divisions were the costliest line of a backtest's per-candle path.
 */
export class Rsi {
  private prev = NaN;
  private gain = 0;
  private loss = 0;
  /** changes seen, up to `period` */
  private seen = 0;
  private readonly one = new Float64Array(1);
  /** the weight of the average so far in Wilder's step: period − 1 */
  private readonly kept: number;

  constructor(readonly period: number) {
    this.kept = period - 1;
  }

  /** NaN until `period` changes were seen */
  get value(): number {
    if (this.seen < this.period) return NaN;
    return this.loss === 0 ? (this.gain === 0 ? 50 : 100) : 100 - 100 / (1 + this.gain / this.loss);
  }

  get ready(): boolean {
    return this.seen >= this.period;
  }

  /** one close by number (tests); the engine uses updateAt */
  update(close: number): number {
    this.one[0] = close;
    this.updateAt(this.one, 0);
    return this.value;
  }

  /** the close at `c[i]`: takes an array and returns nothing, so no double is boxed across the call */
  updateAt(c: Float64Array, i: number): void {
    const close = c[i];
    const change = close - this.prev;
    this.prev = close;
    if (this.seen < this.period) return this.seed(change);
    this.gain = (this.gain * this.kept + (change > 0 ? change : 0)) / this.period;
    this.loss = (this.loss * this.kept + (change < 0 ? -change : 0)) / this.period;
  }

  /**
   * The first `period` changes (NaN for the first close: nothing to compare it with) make the first averages. Kept
   * apart, as it runs `period` times only; its double argument is boxed on those few calls.
   */
  private seed(change: number): void {
    if (change !== change) return;
    this.gain += (change > 0 ? change : 0) / this.period;
    this.loss += (change < 0 ? -change : 0) / this.period;
    this.seen++;
  }
}
