import type { EmaCrossParams } from '../../../src-shared/contract';
import { Ema } from '../indicators/ema';
import { Rsi } from '../indicators/rsi';
import { SIGNAL, type SignalValue, type Strategy } from './strategy';

/**
 * Trend following: enter when the fast EMA crosses above the slow one (and, unless `rsi_max` is 0, RSI is below
 * `rsi_max` so we do not buy an exhausted move); exit every long when it crosses back below.
 */
export class EmaCrossStrategy implements Strategy {
  readonly name = 'ema_cross';
  readonly warmup: number;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly rsi: Rsi;
  private current: SignalValue = SIGNAL.none;

  constructor(private readonly p: EmaCrossParams) {
    this.fast = new Ema(p.fast);
    this.slow = new Ema(p.slow);
    this.rsi = new Rsi(p.rsi_period);
    this.warmup = Math.max(p.slow, p.rsi_period) + 1;
  }

  update(c: Float64Array, at: number): SignalValue {
    const prevFast = this.fast.value;
    const prevSlow = this.slow.value;
    const close = at + 3;
    this.fast.updateAt(c, close);
    this.slow.updateAt(c, close);
    this.rsi.updateAt(c, close);
    // prev values are NaN until both EMAs were seeded one candle earlier, so both comparisons are false then
    const above = this.fast.value > this.slow.value;
    return (this.current = (above ? prevFast <= prevSlow : prevFast >= prevSlow) ? this.crossed(above) : SIGNAL.none);
  }

  /**
   * The EMAs crossed (a few candles in a hundred): the signal, once RSI is warm. Kept apart from `update` so the
   * per-candle step stays small enough for the compiler to inline (docs/benchmarks.md, engine).
   */
  private crossed(above: boolean): SignalValue {
    if (!this.rsi.ready) return SIGNAL.none;
    if (!above) return this.fast.value < this.slow.value ? SIGNAL.exit : SIGNAL.none;
    // RSI read only on a cross: it is computed when read (indicators/rsi.ts)
    return this.p.rsi_max === 0 || this.rsi.value < this.p.rsi_max ? SIGNAL.enter : SIGNAL.none;
  }

  signal(): SignalValue {
    return this.current;
  }

  reason(): string {
    const f = this.p.fast;
    const s = this.p.slow;
    const rsi = `RSI${this.p.rsi_period} ${this.rsi.value.toFixed(1)}`;
    if (this.fast.value > this.slow.value) return `EMA${f} crossed above EMA${s} (${rsi})`;
    return `EMA${f} crossed below EMA${s} (${rsi})`;
  }
}
