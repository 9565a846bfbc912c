/**
 * Money as the tray and desktop notifications write it: a sign, and enough decimals to see the figure whatever the
 * quote (2 for USDT-sized amounts, three significant digits for BTC-sized ones), then the quote currency.
 */
export function signedQuote(amount: number, quote: string): string {
  if (!Number.isFinite(amount)) return `— ${quote}`;
  const abs = Math.abs(amount);
  const decimals = abs >= 1 || abs === 0 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(abs)));
  const digits = abs.toFixed(decimals);
  const sign = Number(digits) === 0 ? '' : amount > 0 ? '+' : '-';
  return `${sign}${digits} ${quote}`;
}

/** "XRP/USDT" → "USDT" (the unit P&L is counted in) */
export { quoteOf } from '../../src-shared/contract';
