/**
 * Exponential moving average, seeded with the simple average of its first `period` values (the common
 * convention of TA-Lib and most charting tools). O(1) per update, and no allocation: its state is kept in a
 * typed array, since storing a double into an object field boxes it on every store.
 */
export class Ema {
  /** [value, sum of the seed values, count] */
  private readonly s = new Float64Array([NaN, 0, 0]);
  private readonly k: number;
  private readonly one = new Float64Array(1);

  constructor(readonly period: number) {
    this.k = 2 / (period + 1);
  }

  get value(): number {
    return this.s[0];
  }

  get ready(): boolean {
    return this.s[2] >= this.period;
  }

  /** one value by number (tests, warm-up); the engine uses updateAt */
  update(x: number): number {
    this.one[0] = x;
    this.updateAt(this.one, 0);
    return this.s[0];
  }

  /** the value at `c[i]`: takes an array and returns nothing, so no double is boxed across the call */
  updateAt(c: Float64Array, i: number): void {
    const x = c[i];
    const s = this.s;
    if (s[2] < this.period) {
      s[1] += x;
      s[2]++;
      if (s[2] === this.period) s[0] = s[1] / this.period;
    } else {
      s[0] += (x - s[0]) * this.k;
    }
  }
}
