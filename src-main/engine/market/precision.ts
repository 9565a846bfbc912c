import type { MarketRules } from '../ports/exchange.port';

/** Round to a step without binary noise (0.1 + 0.2 style): snap to the step's decimal count. */
function decimalsOf(step: number): number {
  if (step >= 1) return 0;
  return Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}
export function roundToStep(value: number, step: number, mode: 'down' | 'up' | 'nearest'): number {
  const units = value / step;
  const snapped = mode === 'down' ? Math.floor(units + 1e-9) : mode === 'up' ? Math.ceil(units - 1e-9) : Math.round(units);
  return Number((snapped * step).toFixed(decimalsOf(step)));
}

/**
 * Paper markets have no exchange to ask for their rules, so derive them the way exchanges set them:
 * a price tick of about 0.01 % of price and an amount step worth about 0.01 quote units at that price.
 */
export function paperMarketRules(symbol: string, referencePrice: number): MarketRules {
  const [base, quote] = symbol.split('/');
  const price = referencePrice > 0 && Number.isFinite(referencePrice) ? referencePrice : 1;
  const priceStep = 10 ** Math.floor(Math.log10(price * 1e-4));
  const amountStep = Math.max(1e-8, 10 ** Math.floor(Math.log10(0.01 / price)));
  return { symbol, base, quote, amountStep, priceStep: Math.max(1e-10, priceStep), minAmount: amountStep, minNotional: 1 };
}
