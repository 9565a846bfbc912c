/**
 * Relative strength index with Wilder's smoothing: the first average gain/loss is the simple mean of the first
 * `period` changes, then avg = (avg × (period − 1) + x) / period. O(1) per update.
 */
export class Rsi {
  value = NaN;
  private changes = 0;
  private prev = NaN;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(readonly period: number) {}

  get ready(): boolean {
    return this.changes >= this.period;
  }

  update(close: number): number {
    if (this.prev === this.prev) {
      const change = close - this.prev;
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      const p = this.period;
      if (this.changes < p) {
        this.avgGain += gain / p;
        this.avgLoss += loss / p;
        this.changes++;
      } else {
        this.avgGain = (this.avgGain * (p - 1) + gain) / p;
        this.avgLoss = (this.avgLoss * (p - 1) + loss) / p;
      }
      if (this.changes >= p) {
        this.value = this.avgLoss === 0 ? (this.avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + this.avgGain / this.avgLoss);
      }
    }
    this.prev = close;
    return this.value;
  }
}
