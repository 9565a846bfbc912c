import type { Candle } from '../../../src-shared/contract';
import type { MarketFeed } from '../ports/market-feed.port';

/** Small, fast, seedable PRNG (mulberry32): the same seed always gives the same market. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded random walk (log-normal steps with slowly drifting trend) producing candles on a fixed grid.
 * Candle i is a pure function of (seed, i), so a restart resumes the very same market.
 */
export class SyntheticFeed implements MarketFeed {
  readonly kind = 'synthetic' as const;
  readonly description: string;
  readonly referencePrice: number;
  private readonly candles: Candle[] = [];
  private readonly rand: () => number;
  private price: number;
  private trend = 0;
  private index = 0;

  constructor(
    readonly seed: number,
    private readonly timeframeMs: number,
    private readonly startTs = Date.UTC(2024, 0, 1),
    startPrice = 100,
    private readonly volatility = 0.004,
  ) {
    this.description = `synthetic random walk (seed ${seed})`;
    this.rand = mulberry32(seed);
    this.price = this.referencePrice = startPrice;
  }

  seek(afterTs: number | null): void {
    this.index = afterTs === null ? 0 : Math.max(0, Math.floor((afterTs - this.startTs) / this.timeframeMs) + 1);
  }

  history(n: number): Candle[] {
    const out: Candle[] = [];
    for (let i = Math.max(0, this.index - n); i < this.index; i++) out.push(this.at(i));
    return out;
  }

  next(): Candle {
    return this.at(this.index++);
  }

  private at(i: number): Candle {
    while (this.candles.length <= i) this.generate();
    return this.candles[i];
  }

  private gauss(): number {
    const u = Math.max(1e-12, this.rand());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rand());
  }

  private generate(): void {
    const ts = this.startTs + this.candles.length * this.timeframeMs;
    this.trend = this.trend * 0.98 + this.gauss() * this.volatility * 0.2;
    const open = this.price;
    const close = open * Math.exp(this.trend + this.gauss() * this.volatility);
    const high = Math.max(open, close) * (1 + Math.abs(this.gauss()) * this.volatility * 0.5);
    const low = Math.min(open, close) * (1 - Math.abs(this.gauss()) * this.volatility * 0.5);
    const round = (x: number) => Math.round(x * 1e4) / 1e4;
    this.candles.push({
      ts,
      open: round(open),
      high: round(high),
      low: round(low),
      close: round(close),
      volume: Math.round(1000 + this.rand() * 9000),
    });
    this.price = round(close);
  }
}
