import { roundToStep } from '../market/precision';

/**
 * The trailing rule (config trailing_stop_pct, trailing_activation_pct; docs/contract.md §4), one candle at a time:
 * the stop a position should have after a candle whose high was `high`. It rises to `trailingPct` below that high,
 * rounded down to the price tick, once the high has reached `activationPct` above the entry (0: at once), and it
 * never moves down. Keeping no peak of its own, the stop itself carries the highest high so far: max over candles of
 * high × (1 − pct) is the highest high × (1 − pct).
 *
 * Which candles count is the caller's: only those that opened after the position did, and the stop a candle could
 * hit is the one resting at its open (a candle does not say whether its high came before its low, so like the
 * stop-before-take-profit rule the engine never assumes the order that would favour it).
 */
export function trailedStop(p: {
  entryPrice: number;
  stop: number;
  high: number;
  trailingPct: number;
  activationPct: number;
  priceStep: number;
}): number {
  if (!(p.trailingPct > 0)) return p.stop;
  // profit in whole percent, compared without dividing: a high of exactly entry + 10 % activates 10 % (no 1.1000000000000001)
  if (p.activationPct > 0 && p.high * 100 < p.entryPrice * (100 + p.activationPct)) return p.stop;
  const trailed = roundToStep(p.high * (1 - p.trailingPct / 100), p.priceStep, 'down');
  return trailed > p.stop ? trailed : p.stop;
}
