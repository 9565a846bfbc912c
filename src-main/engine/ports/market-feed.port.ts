import type { Candle } from '../../../src-shared/contract';

/** Closed candles, one at a time, in market time order. Replay and synthetic feeds answer at once; live waits. */
export interface MarketFeed {
  readonly kind: 'replay' | 'synthetic' | 'live';
  readonly description: string;
  /** a price to derive paper market rules from before the first candle */
  readonly referencePrice: number;
  /** position the feed just after market time `ts` (a restart resumes where it stopped); null = from the start */
  seek(afterTs: number | null): void;
  /** up to `n` candles before the current position, oldest first (strategy warm-up and the chart) */
  history(n: number): Candle[];
  /** the next closed candle */
  next(): Candle | null;
  /** called when a closed candle is waiting (live feeds), so the bot need not wait for its next look */
  onReady?(listener: () => void): void;
  /**
   * called with true when a live feed is about to ask the exchange for a closing candle (shortly before the close), and
   * with false once it has handed it over (after the ready listeners) or stopped asking until the next close: the
   * start of the order path
   */
  onAsking?(listener: (asking: boolean) => void): void;
  /** release timers and connections (live feeds) */
  stop?(): void;
}
