/**
 * A strategy turns candles into entry/exit intents, nothing more: it never sizes, never places orders.
 * It runs on the backtest hot path, so updates are O(1) and allocate nothing.
 */
export const SIGNAL = { none: 0, enter: 1, exit: -1 } as const;
export type SignalValue = (typeof SIGNAL)[keyof typeof SIGNAL];

export interface Strategy {
  readonly name: string;
  /** candles needed before the first signal can be trusted */
  readonly warmup: number;
  /**
   * Feed one closed candle: `c[at]` open, `c[at + 1]` high, `c[at + 2]` low, `c[at + 3]` close. An array and an
   * offset rather than four numbers: numbers passed to a call that is not inlined are boxed, once per candle.
   * Answers the signal after this candle (what `signal()` answers until the next update).
   */
  update(c: Float64Array, at: number): SignalValue;
  /** the signal after the last update: enter long, exit longs, or nothing */
  signal(): SignalValue;
  /** one human line on why the last non-zero signal fired, e.g. "EMA9 crossed above EMA21 (RSI 48.2)" */
  reason(): string;
}
