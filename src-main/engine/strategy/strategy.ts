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
  /** feed one closed candle (numbers only, no object, so the hot path allocates nothing) */
  update(open: number, high: number, low: number, close: number): void;
  /** the signal after the last update: enter long, exit longs, or nothing */
  signal(): SignalValue;
  /** one human line on why the last non-zero signal fired, e.g. "EMA9 crossed above EMA21 (RSI 48.2)" */
  reason(): string;
}
