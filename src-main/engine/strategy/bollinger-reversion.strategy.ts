import type { BollingerReversionParams } from '../../../src-shared/contract';
import { Bollinger } from '../indicators/bollinger';
import { SIGNAL, type SignalValue, type Strategy } from './strategy';

/** Mean reversion: enter on a close that crosses below the lower band, exit on a close back above the middle band. */
export class BollingerReversionStrategy implements Strategy {
  readonly name = 'bollinger_reversion';
  readonly warmup: number;
  private readonly bands: Bollinger;
  private wasBelow = false;
  private wasAboveMiddle = false;
  private lastClose = NaN;
  private current: SignalValue = SIGNAL.none;

  constructor(private readonly p: BollingerReversionParams) {
    this.bands = new Bollinger(p.period, p.stddev);
    this.warmup = p.period;
  }

  update(c: Float64Array, at: number): SignalValue {
    const close = c[at + 3];
    this.bands.update(close);
    this.lastClose = close;
    this.current = SIGNAL.none;
    if (!this.bands.ready) return SIGNAL.none;
    const below = close < this.bands.lower;
    const aboveMiddle = close > this.bands.middle;
    if (below && !this.wasBelow) this.current = SIGNAL.enter;
    else if (aboveMiddle && !this.wasAboveMiddle) this.current = SIGNAL.exit;
    this.wasBelow = below;
    this.wasAboveMiddle = aboveMiddle;
    return this.current;
  }

  signal(): SignalValue {
    return this.current;
  }

  reason(): string {
    const close = this.lastClose.toPrecision(6);
    return this.lastClose < this.bands.middle
      ? `close ${close} below the lower band ${this.bands.lower.toPrecision(6)} (${this.p.period}, ${this.p.stddev}σ)`
      : `close ${close} back above the middle band ${this.bands.middle.toPrecision(6)}`;
  }
}
