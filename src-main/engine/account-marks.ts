import type { FillBooks } from './execution/fill-books';
import type { EquityMarks } from './kept-stats';

/**
 * The trading core's running account figures: the last candle's price and close time, equity, its peak, the max
 * drawdown, the UTC day with its starting equity, and the daily-loss kill switch. Marked once per candle
 * (`markToMarket`), on the path backtest, paper and live share; kept small so the compiler inlines that path into the
 * core's cycle (docs/benchmarks.md, engine), with what is rare in methods of its own.
 */
export class AccountMarks {
  /**
   * The per-candle numbers live in a typed array (one object, no field of its own per figure). Slots: equity, peak
   * equity, max drawdown %, last price, last close time, the day's starting equity, the account's cash base (start +
   * net cash flow − holdings' basis) and the coins it holds outside positions (see AccountLedger); then the current
   * UTC day's first and last millisecond + 1 (so the day is found by two compares per candle, not a division), the
   * candle's length in ms, and the two lines the mark compares with (drawLines).
   */
  private readonly n = new Float64Array([0, 0, 0, NaN, 0, 0, 0, 0, Infinity, -Infinity, 0, -Infinity, -Infinity]);
  /** kill switch: no entries until the next UTC day */
  haltReason: string | null = null;
  private day = -1;
  private haltedDay = -1;
  /** the applied config's max_daily_loss_pct (0: no kill switch) */
  private maxDailyLossPct = 0;

  constructor(
    /** the executor's books (one object for its life), read on every candle */
    private readonly books: FillBooks,
    startEquity: number,
    /** the kill switch fired (the reason, a sentence): entries are already stopped for the rest of the day */
    private readonly onHalt: (reason: string) => void,
  ) {
    this.n[6] = startEquity;
    this.n[0] = this.n[1] = this.n[5] = startEquity + books.realized;
    this.drawLines();
  }

  get equity(): number {
    return this.n[0];
  }
  get peakEquity(): number {
    return this.n[1];
  }
  get maxDrawdownPct(): number {
    return this.n[2];
  }
  get lastPrice(): number {
    return this.n[3];
  }
  get lastTs(): number {
    return this.n[4];
  }
  get dayStart(): number {
    return this.n[5];
  }
  get cashBase(): number {
    return this.n[6];
  }

  /** A config's figures: the candle's length and the kill switch's limit. */
  configure(candleMs: number, maxDailyLossPct: number): void {
    this.n[10] = candleMs;
    this.maxDailyLossPct = maxDailyLossPct;
    this.drawLines();
  }

  /** The candle at `d[at]` (series layout) is the last one: its close time and price, also the books' clock. */
  candleAt(d: Float64Array, at: number): void {
    const closeTime = d[at] + this.n[10];
    this.books.now = closeTime;
    this.n[4] = closeTime;
    this.n[3] = d[at + 4];
  }

  /** a price without a candle (warm-up) */
  priceIs(price: number): void {
    this.n[3] = price;
  }

  /** Peak, max drawdown and the day's start as of the last candle: persisted with the equity curve. */
  get marks(): EquityMarks {
    return { peak: this.n[1], max_drawdown_pct: this.n[2], day: this.day, day_start: this.n[5] };
  }

  /** Go on from marks an earlier run persisted, so max drawdown and today's P&L survive a restart. */
  restoreMarks(m: EquityMarks): void {
    this.n[1] = Math.max(m.peak, this.n[0]);
    this.n[2] = m.max_drawdown_pct;
    this.day = m.day;
    this.n[5] = m.day_start;
    this.drawLines();
    this.n[8] = Infinity; // the next candle works its day out again
  }

  /** The account's figures outside the trades (AccountLedger): its cash base and the coins held outside positions. */
  setAccount(cashBase: number, holdingsBase: number): void {
    this.n[6] = cashBase;
    this.n[7] = holdingsBase;
    this.remark();
  }

  /**
   * Money moved in or out without the bot (worth `value`): the peak and the day's start move with it, so a withdrawal
   * is no drawdown and a deposit no profit, today or for the kill switch.
   */
  moveMoney(cashBase: number, holdingsBase: number, value: number): void {
    this.n[1] += value;
    this.n[5] += value;
    this.setAccount(cashBase, holdingsBase);
    if (this.n[1] < this.n[0]) this.n[1] = this.n[0];
    this.drawLines();
  }

  /** A new start (nothing traded yet): equity, peak and the day's start begin again at the account's value. */
  rebase(cashBase: number, holdingsBase: number): void {
    this.setAccount(cashBase, holdingsBase);
    this.n[1] = this.n[5] = this.n[0];
    this.n[2] = 0;
    this.drawLines();
  }

  /** Equity at the last price again, after a fill or the account's figures changed between candles (no kill-switch check). */
  remark(): void {
    const price = this.n[3];
    const books = this.books;
    // before any price (nothing warmed yet) positions count at their cost
    const marked = Number.isFinite(price) ? (books.openAmount + this.n[7]) * price - books.openCost : 0;
    this.n[0] = this.n[6] + books.realized + marked - books.openFees;
  }

  /**
   * Equity, drawdown and the kill switch at the last candle. Runs on every candle, so it takes no numbers and calls
   * nothing that returns one (doubles crossing a call that is not inlined are boxed), and compares with lines worked
   * out when they change (drawLines) rather than doing their arithmetic per candle.
   */
  markToMarket(): void {
    const books = this.books;
    const n = this.n;
    const price = n[3];
    const equity = n[6] + books.realized + (books.openAmount * price - books.openCost - books.openFees) + n[7] * price;
    n[0] = equity;
    if (equity > n[1]) this.raisePeak();
    else if (equity < n[12]) this.deepenDrawdown();
    if (n[4] < n[8] || n[4] >= n[9]) this.enterDay();
    if (equity <= n[11]) this.tripKillSwitch();
  }

  private raisePeak(): void {
    this.n[1] = this.n[0];
    this.drawLines();
  }

  /**
   * The exact drawdown, on the candles the line let through; the line is then this equity. For one peak the
   * drawdown as computed here never grows with the equity (each rounded step is monotone), so no equity at or above
   * one already measured can deepen it: only a new low since the peak pays for the division.
   */
  private deepenDrawdown(): void {
    const n = this.n;
    const dd = ((n[1] - n[0]) / n[1]) * 100;
    if (dd > n[2]) n[2] = dd;
    n[12] = n[0];
  }

  /** The last candle is on another UTC day than the one before. */
  private enterDay(): void {
    const n = this.n;
    const day = Math.floor(n[4] / 86_400_000);
    n[8] = day * 86_400_000;
    n[9] = n[8] + 86_400_000;
    if (day === this.day) return;
    this.day = day;
    n[5] = n[0];
    this.drawLines();
    if (this.haltedDay !== day) this.haltReason = null;
  }

  /**
   * The two equities the per-candle mark compares with, worked out again whenever the peak, the max drawdown, the
   * day's start or max_daily_loss_pct changes, so each check is one compare:
   * - below n[12] the max drawdown may deepen: the peak itself here, then the lowest equity measured since
   *   (deepenDrawdown). No peak above zero (an empty account) has no drawdown to measure;
   * - at or below n[11] the kill switch trips. A day that starts at zero (an empty account, not yet read) has nothing
   *   to lose, and a limit of 0 is off: the switch never trips then.
   */
  private drawLines(): void {
    const n = this.n;
    n[12] = n[1] > 0 ? n[1] : -Infinity;
    n[11] = this.maxDailyLossPct > 0 && n[5] > 0 ? n[5] * (1 - this.maxDailyLossPct / 100) : -Infinity;
  }

  private tripKillSwitch(): void {
    if (this.haltedDay === this.day) return; // tripped today already
    const n = this.n;
    const lossPct = ((n[5] - n[0]) / n[5]) * 100;
    this.haltReason = `daily loss limit reached: ${lossPct.toFixed(2)}% lost today (max_daily_loss_pct ${this.maxDailyLossPct})`;
    this.haltedDay = this.day;
    this.onHalt(this.haltReason);
  }
}
