import type { EquityPoint } from '../../src-shared/contract';
import type { EquityMarks } from './kept-stats';

/**
 * The equity curve's writes: a point per candle, written at most once a second in one transaction with the marks
 * (peak, day start) they move, since a replay at full speed would otherwise write per candle. Closing writes the rest;
 * a kill loses at most a second of points, which the next cycles redraw.
 */
export class EquityWriter {
  private readonly pending: EquityPoint[] = [];
  private lastWrite = 0;

  constructor(
    private readonly o: {
      store: { appendEquity(points: readonly EquityPoint[], marks?: EquityMarks): void };
      marks: () => EquityMarks;
      now: () => number;
    },
  ) {}

  add(point: EquityPoint): void {
    this.pending.push(point);
    this.write(false);
  }

  write(force = true): void {
    const t = this.o.now();
    if (!force && t - this.lastWrite < 1000) return;
    this.lastWrite = t;
    this.o.store.appendEquity(this.pending.splice(0), this.o.marks());
  }
}
