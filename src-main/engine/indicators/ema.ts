/**
 * Exponential moving average, seeded with the simple average of its first `period` values (the common
 * convention of TA-Lib and most charting tools). O(1) per update, no allocation.
 *
 * State in number fields: a field that only ever holds numbers keeps its double in a box optimised code overwrites in
 * place, and reads it with one load where a typed-array slot takes two and a bounds check. `updateAt` is kept small
 * (in bytecode) and free of calls that pass a double, so the compiler inlines it into the core's per-candle path
 * within its inlining budget (docs/benchmarks.md, engine).
 */
export class Ema {
  private v = NaN;
  private sum = 0;
  private count = 0;
  private readonly k: number;
  private readonly one = new Float64Array(1);

  constructor(readonly period: number) {
    this.k = 2 / (period + 1);
  }

  get value(): number {
    return this.v;
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  /** one value by number (tests, warm-up); the engine uses updateAt */
  update(x: number): number {
    this.one[0] = x;
    this.updateAt(this.one, 0);
    return this.v;
  }

  /** the value at `c[i]`: takes an array and returns nothing, so no double is boxed across the call */
  updateAt(c: Float64Array, i: number): void {
    if (this.count < this.period) return this.seedAt(c, i);
    this.v += (c[i] - this.v) * this.k;
  }

  /** the first `period` values: their sum, then their mean as the seed (kept apart: it runs `period` times only) */
  private seedAt(c: Float64Array, i: number): void {
    this.sum += c[i];
    if (++this.count === this.period) this.v = this.sum / this.period;
  }
}
