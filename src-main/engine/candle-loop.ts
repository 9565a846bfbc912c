import type { MaybePromise } from './ports/exchange.port';

export interface CandleLoopOptions {
  /** candles per second; 'max' = as fast as the machine goes (50 cycles per turn) */
  speed: number | 'max';
  /** the bot's serial chain: cycles never interleave with manual operations or reconciliation */
  serial(fn: () => Promise<void>): Promise<void>;
  /** one closed candle through the core */
  cycle(): MaybePromise<void>;
  /** a turn failed (after the cycle's own handling) */
  failed(e: unknown): void;
  /** the bot is closing: the loop does not start again */
  closed(): boolean;
  /** mark the order path busy (order-path.ts) from a live candle's wake-up until the turn that takes it has ended */
  enterOrderPath?(): () => void;
}

/**
 * The bot's candle loop (bot.ts): a turn of cycles at the configured speed, on the bot's serial chain, and a wake-up
 * when a live feed has a closed candle. Started and stopped by the bot's lifecycle.
 */
export class CandleLoop {
  private timer: NodeJS.Timeout | null = null;
  private tick: (() => void) | null = null;
  private ticking = false;
  private wakeSoon = false;
  private running = false;
  /** the order path held since a wake-up, released when the turn that takes the candle ends */
  private woken: (() => void) | null = null;

  constructor(private readonly o: CandleLoopOptions) {}

  start(): void {
    if (this.running || this.o.closed()) return;
    this.running = true;
    const speed = this.o.speed;
    const delay = () => (speed === 'max' || this.wakeSoon ? 0 : 1000 / speed);
    const tick = () => {
      if (!this.running) return;
      this.ticking = true;
      this.wakeSoon = false;
      const woken = this.woken;
      this.woken = null;
      const batch = speed === 'max' ? 50 : 1;
      this.o
        .serial(async () => {
          for (let i = 0; i < batch && this.running; i++) await this.o.cycle();
        })
        .catch((e) => this.o.failed(e))
        .finally(() => {
          this.ticking = false;
          woken?.();
          if (!this.running) return;
          this.timer = setTimeout(tick, delay());
        });
    };
    this.tick = tick;
    this.timer = setTimeout(tick, delay());
  }

  /** a live feed has a closed candle: run the cycle now rather than at the loop's next look */
  readonly wake = (): void => {
    this.wakeSoon = true;
    if (!this.running) return;
    // taken before the feed lets go of its own hold, so the path stays busy without a gap until the cycle has traded
    this.woken ??= this.o.enterOrderPath?.() ?? null;
    if (this.ticking || !this.timer || !this.tick) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  };

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // a turn under way lets go of the hold it took itself
    this.woken?.();
    this.woken = null;
  }
}
