import { defaultPaperBalance } from '../../../src-shared/contract';
import type { MarketRules } from '../ports/exchange.port';

/** decimals a step needs: 0.01 → 2, 0.25 → 2, 5e-4 → 4, 10 → 0 */
function decimalsOf(step: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * scaled) return d;
  }
  return 12;
}

/** steps seen, each as an integer over a power of ten (a market has two: its price tick and its amount step) */
const memoSteps = new Float64Array(4).fill(NaN);
const memoScales = new Float64Array(4);
const memoUnits = new Float64Array(4);
let memoNext = 0;

/**
 * Round to a step without binary noise (0.1 + 0.2 style): the result is the double nearest to the exact decimal
 * multiple of the step, computed as integer steps × step units ÷ a power of ten (one correctly rounded division,
 * the same value as formatting and parsing the decimal, without the string).
 */
export function roundToStep(value: number, step: number, mode: 'down' | 'up' | 'nearest'): number {
  let m = 0;
  while (m < 4 && memoSteps[m] !== step) m++;
  if (m === 4) {
    m = memoNext;
    memoNext = (memoNext + 1) % 4;
    memoSteps[m] = step;
    memoScales[m] = 10 ** decimalsOf(step);
    memoUnits[m] = Math.round(step * memoScales[m]);
  }
  const units = value / step;
  const snapped = mode === 'down' ? Math.floor(units + 1e-9) : mode === 'up' ? Math.ceil(units - 1e-9) : Math.round(units);
  return (snapped * memoUnits[m]) / memoScales[m];
}

/**
 * Paper markets have no exchange to ask for their rules, so derive them the way exchanges set them:
 * a price tick of about 0.01 % of price and an amount step worth about 0.01 quote units at that price.
 */
export function paperMarketRules(symbol: string, referencePrice: number): MarketRules {
  const [base, quote] = symbol.split('/');
  const price = referencePrice > 0 && Number.isFinite(referencePrice) ? referencePrice : 1;
  // about a dollar's worth of the quote (1 USDT, 0.00001 BTC): steps and minimums scale with what the quote is worth
  const unit = defaultPaperBalance(quote) / 10_000;
  const priceStep = 10 ** Math.floor(Math.log10(price * 1e-4));
  const amountStep = Math.max(1e-8, 10 ** Math.floor(Math.log10((0.01 * unit) / price)));
  return { symbol, base, quote, amountStep, priceStep: Math.max(1e-10, priceStep), minAmount: amountStep, minNotional: unit };
}
