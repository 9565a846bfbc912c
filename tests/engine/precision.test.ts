import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { roundToStep } from '../../src-main/engine/market/precision';

/** the definition: the exact decimal multiple of the step, written out and parsed back */
function reference(value: number, step: number, mode: 'down' | 'up' | 'nearest'): number {
  let d = 0;
  while (d < 12 && Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) > 1e-9 * step * 10 ** d) d++;
  const units = value / step;
  const n = mode === 'down' ? Math.floor(units + 1e-9) : mode === 'up' ? Math.ceil(units - 1e-9) : Math.round(units);
  return Number((n * step).toFixed(d));
}

describe('roundToStep', () => {
  it('gives clean multiples of the step, including steps that are not powers of ten', () => {
    expect(roundToStep(1.2093 * 1.0005, 0.0001, 'up')).toBe(1.21);
    expect(roundToStep(1.2093 * 1.0005, 0.0001, 'down')).toBe(1.2099);
    expect(roundToStep(19.386981333691544, 0.25, 'down')).toBe(19.25);
    expect(roundToStep(19.386981333691544, 0.25, 'up')).toBe(19.5);
    expect(roundToStep(0.1 + 0.2, 0.1, 'nearest')).toBe(0.3);
    expect(roundToStep(1234.5, 10, 'down')).toBe(1230);
    expect(roundToStep(0.0030184816, 2.5e-7, 'down')).toBe(0.00301825);
  });

  it('equals the decimal definition for any value and step', () => {
    const steps = [1e-8, 1e-6, 1e-4, 0.001, 0.01, 0.1, 1, 10, 5e-4, 0.25, 0.5, 0.005, 2.5e-7];
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.constantFrom(...steps),
        fc.constantFrom('down', 'up', 'nearest' as const),
        (v, step, mode) => {
          expect(roundToStep(v, step, mode)).toBe(reference(v, step, mode));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
