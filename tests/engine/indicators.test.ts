// Our O(1) indicators against trading-signals, a widely used reference implementation, on real candles.
import { describe, expect, it } from 'vitest';
import { BollingerBands, EMA, RSI } from 'trading-signals';
import { Ema } from '../../src-main/engine/indicators/ema';
import { Rsi } from '../../src-main/engine/indicators/rsi';
import { Bollinger } from '../../src-main/engine/indicators/bollinger';
import { CANDLE_STRIDE } from '../../src-main/engine/feeds/candle-file';
import { createStrategy } from '../../src-main/engine/strategy/create-strategy';
import { SIGNAL } from '../../src-main/engine/strategy/strategy';
import { StrategySchema } from '../../src-shared/contract';
import { loadCandleFile } from '../../src-main/engine/feeds/candle-file';
import { ALT_1M, loadXrp5m } from '../helpers/candles';

const closesOf = (path?: string): number[] => {
  const s = path ? loadCandleFile(path) : loadXrp5m();
  const out: number[] = [];
  for (let i = 0; i < s.count; i++) out.push(s.data[i * CANDLE_STRIDE + 4]);
  return out;
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('indicators match trading-signals on real candles', () => {
  const closes = closesOf();
  const altCloses = closesOf(ALT_1M);

  for (const period of [9, 21, 50]) {
    // trading-signals seeds differently (its first value), so the two agree once the seed's weight (1−k)^n has
    // decayed below rounding: after 1,000 candles it is < 1e-17 for these periods
    it(`EMA(${period}) agrees with the reference once the seed has washed out`, () => {
      const ours = new Ema(period);
      const ref = new EMA(period);
      let compared = 0;
      for (let i = 0; i < closes.length; i++) {
        const c = closes[i];
        ours.update(c);
        const r = ref.add(c);
        if (i === period - 1) expect(ours.value).toBeCloseTo(closes.slice(0, period).reduce((a, b) => a + b, 0) / period, 12);
        if (r !== null && i >= 1000) {
          expect(rel(ours.value, r)).toBeLessThan(1e-9);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(900);
    });
  }

  for (const period of [7, 14]) {
    it(`RSI(${period}) with Wilder smoothing agrees once stable`, () => {
      const ours = new Rsi(period);
      const ref = new RSI(period);
      let compared = 0;
      for (const c of closes) {
        ours.update(c);
        const r = ref.add(c);
        if (r !== null && ref.isStable) {
          expect(Math.abs(ours.value - r)).toBeLessThan(1e-6);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }

  for (const [period, k] of [
    [20, 2],
    [10, 1.5],
  ] as const) {
    it(`Bollinger(${period}, ${k}) bands agree over a long run (no drift from running sums)`, () => {
      for (const series of [closes, altCloses]) {
        const ours = new Bollinger(period, k);
        const ref = new BollingerBands(period, k);
        let compared = 0;
        for (const c of series) {
          ours.update(c);
          const r = ref.add(c);
          if (r) {
            expect(ours.ready).toBe(true);
            expect(rel(ours.middle, r.middle)).toBeLessThan(1e-9);
            const width = r.upper - r.middle;
            expect(Math.abs(ours.upper - ours.middle - width)).toBeLessThan(1e-7 * r.middle + 1e-6 * width);
            expect(Math.abs(ours.lower - r.lower)).toBeLessThan(1e-7 * r.middle + 1e-6 * width);
            compared++;
          }
        }
        expect(compared).toBeGreaterThan(1000);
      }
    });
  }
});

describe('strategies', () => {
  const s = loadXrp5m();
  const run = (config: unknown) => {
    const strategy = createStrategy(StrategySchema.parse(config));
    const signals: number[] = [];
    for (let i = 0; i < s.count; i++) {
      const at = i * CANDLE_STRIDE;
      strategy.update(s.data, at + 1);
      signals.push(strategy.signal());
    }
    return { strategy, signals };
  };

  it('ema_cross enters exactly on upward crosses of the fast EMA (RSI filter off) and exits on downward ones', () => {
    const { signals, strategy } = run({ name: 'ema_cross', params: { fast: 9, slow: 21, rsi_max: 0 } });
    const fast = new Ema(9);
    const slow = new Ema(21);
    let prevF = NaN;
    let prevS = NaN;
    const rsi = new Rsi(14);
    for (let i = 0; i < s.count; i++) {
      const c = s.data[i * CANDLE_STRIDE + 4];
      const f = fast.update(c);
      const sl = slow.update(c);
      rsi.update(c);
      const want = !rsi.ready ? 0 : prevF <= prevS && f > sl ? SIGNAL.enter : prevF >= prevS && f < sl ? SIGNAL.exit : 0;
      expect(signals[i], `candle ${i}`).toBe(want);
      prevF = f;
      prevS = sl;
    }
    expect(signals.filter((x) => x === SIGNAL.enter).length).toBeGreaterThan(10);
    expect(strategy.reason()).toMatch(/EMA9 crossed (above|below) EMA21/);
  });

  it('ema_cross with an RSI ceiling enters on a subset of the unfiltered crosses', () => {
    const all = run({ name: 'ema_cross', params: { rsi_max: 0 } }).signals;
    const filtered = run({ name: 'ema_cross', params: { rsi_max: 55 } }).signals;
    const enters = (xs: number[]) => xs.flatMap((x, i) => (x === SIGNAL.enter ? [i] : []));
    expect(enters(filtered).every((i) => all[i] === SIGNAL.enter)).toBe(true);
    expect(enters(filtered).length).toBeLessThan(enters(all).length);
  });

  it('rsi_reversion and bollinger_reversion produce both entries and exits, never before warm-up', () => {
    for (const config of [{ name: 'rsi_reversion' }, { name: 'bollinger_reversion' }]) {
      const { signals, strategy } = run(config);
      expect(signals.slice(0, strategy.warmup - 1).every((x) => x === 0)).toBe(true);
      expect(signals.filter((x) => x === SIGNAL.enter).length).toBeGreaterThan(5);
      expect(signals.filter((x) => x === SIGNAL.exit).length).toBeGreaterThan(5);
      expect(strategy.reason().length).toBeGreaterThan(5);
    }
  });

  it('rejects unknown strategies and out-of-range parameters through the schema', () => {
    expect(StrategySchema.safeParse({ name: 'moon', params: {} }).success).toBe(false);
    expect(StrategySchema.safeParse({ name: 'ema_cross', params: { fast: 30, slow: 20 } }).success).toBe(false);
    expect(StrategySchema.safeParse({ name: 'rsi_reversion', params: { period: 1 } }).success).toBe(false);
  });
});
