/**
 * Fixed-point amounts in units of 1e-8, as binance keeps every spot asset and prints every number ("0.05000000").
 * Balances, fills and commissions stay exact: a market buy of 1 ETH at 0.1% leaves exactly 0.999 ETH.
 */
export type Units = bigint;

const SCALE = 100_000_000n;
const DECIMALS = 8;
const DECIMAL_RE = /^(\d+)(?:\.(\d*))?$/;

/** Parses a non-negative decimal string ("0.1", "25000", "1e-8" is refused); undefined when it is not one. */
export function parseUnits(text: string | undefined): Units | undefined {
  if (text === undefined) return undefined;
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return undefined;
  const frac = m[2] ?? '';
  // more than 8 decimals cannot be represented on binance either: -1111 "Precision is over the maximum"
  if (frac.replace(/0+$/, '').length > DECIMALS) return undefined;
  return BigInt(m[1]) * SCALE + BigInt(frac.padEnd(DECIMALS, '0').slice(0, DECIMALS));
}

/** For numbers the test hands in (prices, balances): 8 decimals, like every binance figure. */
export function unitsOf(value: number | string): Units {
  const text = typeof value === 'number' ? value.toFixed(DECIMALS) : value;
  const parsed = parseUnits(text);
  if (parsed === undefined) throw new Error(`not a non-negative decimal: ${value}`);
  return parsed;
}

/** "0.05000000", binance's way of printing quantities and prices */
export function formatUnits(u: Units): string {
  const neg = u < 0n;
  const abs = neg ? -u : u;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(DECIMALS, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

export const toNumber = (u: Units): number => Number(formatUnits(u));

/** price × quantity, both in units; rounded down to a unit (what the buyer pays never rounds up in our favour) */
export const mulUnits = (a: Units, b: Units): Units => (a * b) / SCALE;

/** quote ÷ price → quantity in units, rounded down */
export const divUnits = (a: Units, b: Units): Units => (a * SCALE) / b;

/** amount × rate where rate is a fraction in units (0.1% = 100_000n) */
export const feeOf = (amount: Units, rate: Units): Units => (amount * rate) / SCALE;

export const minUnits = (a: Units, b: Units): Units => (a < b ? a : b);
export const maxUnits = (a: Units, b: Units): Units => (a > b ? a : b);

/** rounds down to a multiple of step counted from zero (LOT_SIZE's step counts from minQty, which is a step multiple here) */
export const floorToStep = (u: Units, step: Units): Units => (step === 0n ? u : (u / step) * step);

export const ONE = SCALE;
