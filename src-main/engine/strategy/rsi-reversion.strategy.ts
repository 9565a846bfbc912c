import type { RsiReversionParams } from '../../../src-shared/contract';
import { Rsi } from '../indicators/rsi';
import { SIGNAL, type SignalValue, type Strategy } from './strategy';

/** Mean reversion: enter when RSI falls below `oversold`, exit when it rises above `overbought`. */
export class RsiReversionStrategy implements Strategy {
  readonly name = 'rsi_reversion';
  readonly warmup: number;
  private readonly rsi: Rsi;
  private current: SignalValue = SIGNAL.none;

  constructor(private readonly p: RsiReversionParams) {
    this.rsi = new Rsi(p.period);
    this.warmup = p.period + 2;
  }

  update(c: Float64Array, at: number): SignalValue {
    const before = this.rsi.value;
    this.rsi.updateAt(c, at + 3);
    const now = this.rsi.value;
    this.current = SIGNAL.none;
    // act on the crossing only, so one dip gives one entry rather than one per candle spent below the line
    if (now < this.p.oversold && before >= this.p.oversold) this.current = SIGNAL.enter;
    else if (now > this.p.overbought && before <= this.p.overbought) this.current = SIGNAL.exit;
    return this.current;
  }

  signal(): SignalValue {
    return this.current;
  }

  reason(): string {
    const v = this.rsi.value.toFixed(1);
    return this.rsi.value < 50
      ? `RSI${this.p.period} ${v} fell below ${this.p.oversold}`
      : `RSI${this.p.period} ${v} rose above ${this.p.overbought}`;
  }
}
