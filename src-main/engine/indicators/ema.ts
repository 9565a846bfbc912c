/**
 * Exponential moving average, seeded with the simple average of its first `period` values (the common
 * convention of TA-Lib and most charting tools). O(1) per update, no allocation.
 */
export class Ema {
  value = NaN;
  private count = 0;
  private seedSum = 0;
  private readonly k: number;

  constructor(readonly period: number) {
    this.k = 2 / (period + 1);
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    if (this.count < this.period) {
      this.seedSum += x;
      this.count++;
      if (this.count === this.period) this.value = this.seedSum / this.period;
    } else {
      this.value += (x - this.value) * this.k;
    }
    return this.value;
  }
}
