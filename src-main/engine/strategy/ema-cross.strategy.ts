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
  private prevFast = NaN;
  private prevSlow = NaN;
  private current: SignalValue = SIGNAL.none;

  constructor(private readonly p: EmaCrossParams) {
    this.fast = new Ema(p.fast);
    this.slow = new Ema(p.slow);
    this.rsi = new Rsi(p.rsi_period);
    this.warmup = Math.max(p.slow, p.rsi_period) + 1;
  }

  update(c: Float64Array, at: number): void {
    const close = c[at + 3];
    this.prevFast = this.fast.value;
    this.prevSlow = this.slow.value;
    const f = this.fast.update(close);
    const s = this.slow.update(close);
    const rsi = this.rsi.update(close);
    this.current = SIGNAL.none;
    // prev values are NaN until both EMAs were seeded one candle earlier, so every comparison below is false then
    if (!this.rsi.ready) return;
    if (this.prevFast <= this.prevSlow && f > s) {
      if (this.p.rsi_max === 0 || rsi < this.p.rsi_max) this.current = SIGNAL.enter;
    } else if (this.prevFast >= this.prevSlow && f < s) {
      this.current = SIGNAL.exit;
    }
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
