/**
 * Lets the first `allowance` items of a burst through at once and folds the rest into one summary per window, so a
 * storm gives one message a window and a count, and a quiet spell ends the window without a word.
 */
export class BurstLimiter<T> {
  private windowStart: number | null = null;
  private passed = 0;
  private held: T[] = [];

  constructor(private readonly o: { windowMs: number; allowance: number }) {}

  /** true: show this item now; false: it is held for the window's summary */
  admit(item: T, now: number): boolean {
    if (this.windowStart === null || now >= this.windowStart + this.o.windowMs) {
      // a window that ended while items were held must be flushed first (take() does); here it starts afresh
      this.windowStart = now;
      this.passed = 0;
      this.held = [];
    }
    if (this.passed < this.o.allowance) {
      this.passed++;
      return true;
    }
    this.held.push(item);
    return false;
  }

  /**
   * Items held in a window that has ended, or null. A window that held something starts the next one at its end,
   * so a storm that goes on is summarised once per window rather than let through again.
   */
  take(now: number): T[] | null {
    if (this.windowStart === null || now < this.windowStart + this.o.windowMs) return null;
    const held = this.held;
    this.held = [];
    if (!held.length) {
      this.windowStart = null;
      return null;
    }
    this.windowStart += this.o.windowMs * Math.max(1, Math.floor((now - this.windowStart) / this.o.windowMs));
    this.passed = this.o.allowance; // the storm is still on: nothing more goes through until this window ends
    return held;
  }

  /** when take() has something to give, or null */
  get dueAt(): number | null {
    return this.windowStart !== null && this.held.length ? this.windowStart + this.o.windowMs : null;
  }

  /** forget everything held (its kind was switched off) */
  clear(): void {
    this.held = [];
  }
}
