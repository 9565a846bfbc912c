// The per-candle mark (engine/account-marks.ts) compares equity with lines worked out when they change rather than
// doing the drawdown and kill-switch arithmetic on every candle. These check it against that arithmetic done plainly
// on every candle, on real prices, to the last bit.
import { describe, expect, it } from 'vitest';
import { AccountMarks } from '../../src-main/engine/account-marks';
import { CANDLE_STRIDE } from '../../src-main/engine/feeds/candle-file';
import type { FillBooks } from '../../src-main/engine/execution/fill-books';
import { loadXrp5m } from '../helpers/candles';

const DAY = 86_400_000;
const FIVE_MINUTES = 300_000;

/** the figures AccountMarks reads from the executor's books: a position held throughout, its coins worth the close */
const heldPosition = (coins: number, price: number) =>
  ({ realized: 0, openAmount: coins, openCost: coins * price, openFees: 1.25, now: 0 }) as unknown as FillBooks;

describe('account marks on real candles', () => {
  const s = loadXrp5m();
  const d = s.data;

  for (const coins of [4_000, 20_000]) {
    it(`max drawdown, day start and kill switch equal the plain per-candle arithmetic (${coins} coins held)`, () => {
      const books = heldPosition(coins, d[4]);
      const halts: { candle: number; reason: string }[] = [];
      let candle = 0;
      const marks = new AccountMarks(books, 10_000, (reason) => halts.push({ candle, reason }));
      const maxDailyLossPct = 1.5;
      marks.configure(FIVE_MINUTES, maxDailyLossPct);

      // the plain version: every figure worked out on every candle
      let peak = 10_000;
      let maxDd = 0;
      let day = -1;
      let dayStart = 10_000;
      let haltedDay = -1;
      const expectedHalts: number[] = [];
      let deepened = 0;
      for (candle = 0; candle < s.count; candle++) {
        const at = candle * CANDLE_STRIDE;
        marks.candleAt(d, at);
        marks.markToMarket();

        const price = d[at + 4];
        const equity = 10_000 + books.realized + (books.openAmount * price - books.openCost - books.openFees) + 0 * price;
        if (equity > peak) peak = equity;
        else if (peak > 0) {
          const dd = ((peak - equity) / peak) * 100;
          if (dd > maxDd) {
            maxDd = dd;
            deepened++;
          }
        }
        const today = Math.floor((d[at] + FIVE_MINUTES) / DAY);
        if (today !== day) {
          day = today;
          dayStart = equity;
        }
        if (dayStart > 0 && equity <= dayStart * (1 - maxDailyLossPct / 100) && haltedDay !== day) {
          haltedDay = day;
          expectedHalts.push(candle);
        }

        expect(marks.equity).toBe(equity);
        expect(marks.peakEquity).toBe(peak);
        expect(marks.maxDrawdownPct).toBe(maxDd);
        expect(marks.dayStart).toBe(dayStart);
      }
      // the walk is a real one: the drawdown deepened many times and the switch tripped on some days, once each
      expect(deepened).toBeGreaterThan(20);
      expect(expectedHalts.length).toBeGreaterThan(0);
      expect(halts.map((h) => h.candle)).toEqual(expectedHalts);
      expect(halts[0].reason).toMatch(/^daily loss limit reached: \d+\.\d\d% lost today \(max_daily_loss_pct 1\.5\)$/);
    });
  }

  it('a restored peak and drawdown go on from where they were; a limit of 0 never trips', () => {
    const books = heldPosition(20_000, d[4]);
    const marks = new AccountMarks(books, 10_000, () => {
      throw new Error('the switch is off');
    });
    marks.configure(FIVE_MINUTES, 0);
    marks.restoreMarks({ peak: 12_000, max_drawdown_pct: 10, day: -1, day_start: 11_000 });
    let maxDd = 10;
    for (let i = 0; i < 2_000; i++) {
      const at = i * CANDLE_STRIDE;
      marks.candleAt(d, at);
      marks.markToMarket();
      const dd = ((12_000 - marks.equity) / 12_000) * 100;
      if (marks.equity <= 12_000 && dd > maxDd) maxDd = dd;
      expect(marks.maxDrawdownPct).toBe(maxDd);
    }
    expect(marks.haltReason).toBeNull();
  });
});
