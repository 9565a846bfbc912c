/**
 * Relative strength index with Wilder's smoothing: the first average gain/loss is the simple mean of the first
 * `period` changes, then avg = (avg × (period − 1) + x) / period. O(1) per update; state in a typed array (no
 * boxed doubles per update). The value itself is worked out when read: a strategy reads it on the few candles where
 * it matters, and its two divisions were the costliest line of a backtest's per-candle path.
 */
export class Rsi {
  /** [unused, previous close, average gain, average loss, changes seen] */
  private readonly s = new Float64Array([NaN, NaN, 0, 0, 0]);
  private readonly one = new Float64Array(1);

  constructor(readonly period: number) {}

  /** NaN until `period` changes were seen */
  get value(): number {
    const s = this.s;
    if (s[4] < this.period) return NaN;
    return s[3] === 0 ? (s[2] === 0 ? 50 : 100) : 100 - 100 / (1 + s[2] / s[3]);
  }

  get ready(): boolean {
    return this.s[4] >= this.period;
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
    const s = this.s;
    const prev = s[1];
    if (prev === prev) {
      const change = close - prev;
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      const p = this.period;
      if (s[4] < p) {
        s[2] += gain / p;
        s[3] += loss / p;
        s[4]++;
      } else {
        s[2] = (s[2] * (p - 1) + gain) / p;
        s[3] = (s[3] * (p - 1) + loss) / p;
      }
    }
    s[1] = close;
  }
}
