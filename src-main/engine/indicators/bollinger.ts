/**
 * Bollinger bands over a rolling window: middle = SMA(period), bands = middle ± k × population standard deviation.
 * Running sums make each update O(1); they are recomputed from the window every `period` updates so rounding
 * drift cannot accumulate over millions of candles. Sums are kept relative to a reference price so the variance
 * does not lose its digits to cancellation when the spread is tiny next to the price.
 */
export class Bollinger {
  middle = NaN;
  upper = NaN;
  lower = NaN;
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private sum = 0;
  private sumSq = 0;
  private sinceExact = 0;
  private ref = NaN;

  constructor(
    readonly period: number,
    readonly k: number,
  ) {
    this.window = new Float64Array(period);
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  update(x: number): void {
    const p = this.period;
    if (this.ref !== this.ref) this.ref = x;
    if (this.count === p) {
      const old = this.window[this.next] - this.ref;
      this.sum -= old;
      this.sumSq -= old * old;
    } else {
      this.count++;
    }
    this.window[this.next] = x;
    this.next = this.next + 1 === p ? 0 : this.next + 1;
    const d = x - this.ref;
    this.sum += d;
    this.sumSq += d * d;
    if (++this.sinceExact >= p) this.recompute();
    if (this.count < p) return;
    const meanDelta = this.sum / p;
    const variance = Math.max(0, this.sumSq / p - meanDelta * meanDelta);
    const band = this.k * Math.sqrt(variance);
    const mean = this.ref + meanDelta;
    this.middle = mean;
    this.upper = mean + band;
    this.lower = mean - band;
  }

  private recompute(): void {
    this.ref = this.window[this.next === 0 ? this.count - 1 : this.next - 1];
    let s = 0;
    let sq = 0;
    for (let i = 0; i < this.count; i++) {
      const v = this.window[i] - this.ref;
      s += v;
      sq += v * v;
    }
    this.sum = s;
    this.sumSq = sq;
    this.sinceExact = 0;
  }
}
