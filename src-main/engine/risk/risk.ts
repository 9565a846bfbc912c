import type { MarketRules } from '../ports/exchange.port';
import { roundToStep } from '../market/precision';

/** Why an entry may not happen now, or null when it may. Checked for every entry intent, strategy or manual. */
export function entryBlocker(s: {
  entriesAllowed: boolean;
  enabled: boolean;
  haltReason: string | null;
  openPositions: number;
  maxPositions: number;
}): string | null {
  if (s.haltReason) return s.haltReason;
  if (!s.entriesAllowed) return 'entries are paused';
  if (!s.enabled) return 'config has enabled=false';
  if (s.openPositions >= s.maxPositions) return `max_positions (${s.maxPositions}) reached`;
  return null;
}

/**
 * Entry size: `position_size_pct` of equity at this price, capped by the free cash once slippage and fees are paid,
 * rounded down to the market's amount step. Returns 0 when the result is below the market's minimums — measured at
 * the stop-loss price too, because a position whose protective stop the exchange would refuse must not be opened.
 */
export function entryAmount(p: {
  equity: number;
  freeCash: number;
  price: number;
  positionSizePct: number;
  feePct: number;
  slippagePct: number;
  stopLossPct: number;
  rules: MarketRules;
}): number {
  if (!(p.price > 0)) return 0;
  // the fill price as the exchange will quote it (slipped, then up to the tick), so an entry sized to the cash fills
  const costPerUnit = roundToStep(p.price * (1 + p.slippagePct / 100), p.rules.priceStep, 'up') * (1 + p.feePct / 100);
  const wanted = (p.equity * p.positionSizePct) / 100 / p.price;
  const affordable = p.freeCash / costPerUnit;
  const amount = roundToStep(Math.min(wanted, affordable), p.rules.amountStep, 'down');
  const stopPrice = p.price * (1 - p.stopLossPct / 100);
  if (amount < p.rules.minAmount || amount * stopPrice < p.rules.minNotional) return 0;
  return amount;
}
