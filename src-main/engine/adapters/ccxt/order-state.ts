import type { Order as CcxtOrder } from 'ccxt';
import type { ExchangeOrderState, MarketRules } from '../../ports/exchange.port';
import { roundToStep } from '../../market/precision';

/**
 * A ccxt order as the engine sees it. Fees are valued in quote; a fee the exchange took from the coins bought
 * (binance charges the asset received) shrinks what the position holds: `received` is what can be sold again,
 * rounded down to the market's step, and whatever was bought but cannot be sold is counted as entry fee, so
 * `pnl = (exit − entry) × amount − fees` still equals quote in minus quote out.
 */
export function orderState(o: CcxtOrder, rules: MarketRules, clientOrderId: string): ExchangeOrderState {
  const filled = Number(o.filled ?? 0);
  const average = Number(o.average ?? o.price ?? NaN);
  let feeQuote = 0;
  let feeBase = 0;
  const fees = (o as { fees?: { cost?: number; currency?: string }[] }).fees ?? (o.fee ? [o.fee] : []);
  for (const f of fees) {
    const cost = Number(f?.cost ?? 0);
    if (!cost) continue;
    if (f.currency === rules.base) feeBase += cost;
    else if (f.currency === rules.quote) feeQuote += cost;
    // a fee in a third asset (e.g. BNB) is not in this market's money; it is left out rather than guessed
  }
  const state: ExchangeOrderState = {
    clientOrderId,
    exchangeOrderId: o.id ? String(o.id) : null,
    status: mapStatus(o.status, filled),
    filled,
    averagePrice: filled > 0 && Number.isFinite(average) ? average : null,
    fee: feeQuote,
    updatedAt: Number(o.lastUpdateTimestamp ?? o.lastTradeTimestamp ?? o.timestamp ?? Date.now()),
  };
  if (o.side === 'buy' && filled > 0 && state.averagePrice !== null) {
    const received = roundToStep(filled - feeBase, rules.amountStep, 'down');
    state.received = received;
    state.fee = feeQuote + (filled - received) * state.averagePrice;
  }
  if (state.status === 'rejected') state.rejectReason = `the exchange says ${o.status}`;
  return state;
}

/** ccxt's statuses onto ours; an order that ended part-filled (expired, cancelled) counts as filled for what it filled */
function mapStatus(status: string | undefined, filled: number): ExchangeOrderState['status'] {
  switch (status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled':
    case 'expired':
      return filled > 0 ? 'filled' : 'cancelled';
    case 'rejected':
      return 'rejected';
    default:
      return 'open';
  }
}
