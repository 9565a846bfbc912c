// The terminal client's number and time formatting: what a person reads must never be an exponent or a rounding lie.
import { describe, expect, it } from 'vitest';
import { duration, money, num, pairs, signed, table } from '../../src-main/cli/ctl/text';

describe('ctl text helpers', () => {
  it('prints prices and amounts with up to 8 significant digits and no exponent', () => {
    expect(num(0.000012345678912)).toBe('0.000012345679');
    expect(num(1e-9)).toBe('0.000000001');
    expect(num(64123.456789)).toBe('64123.457');
    expect(num(5.4845)).toBe('5.4845');
    expect(num(null)).toBe('-');
  });

  it('prints money in cents above 1 and in significant digits below (BTC-quoted P&L)', () => {
    expect(money(10012.4)).toBe('10012.40');
    expect(money(-8.50681)).toBe('-8.51');
    expect(money(0.000123456)).toBe('0.000123');
    expect(signed(2)).toBe('+2.00');
    expect(signed(0)).toBe('0');
  });

  it('says durations in the two largest units', () => {
    expect(duration(59)).toBe('0m 59s');
    expect(duration(3725)).toBe('1h 02m');
    expect(duration(90_000)).toBe('1d 1h');
  });

  it('aligns tables and label columns', () => {
    expect(
      table(
        ['id', 'pnl'],
        [
          ['1', '+2.00'],
          ['12', '-10.50'],
        ],
        new Set([0, 1]),
      ),
    ).toBe('id     pnl\n 1   +2.00\n12  -10.50');
    expect(
      pairs(
        [
          ['state', 'running'],
          ['equity', '1.00'],
        ],
        '  ',
      ),
    ).toBe('  state   running\n  equity  1.00');
  });
});
