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
      const batch = speed === 'max' ? 50 : 1;
      this.o
        .serial(async () => {
          for (let i = 0; i < batch && this.running; i++) await this.o.cycle();
        })
        .catch((e) => this.o.failed(e))
        .finally(() => {
          this.ticking = false;
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
    if (!this.running || this.ticking || !this.timer || !this.tick) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  };

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
