import type { CashFlow } from '../../../src-shared/contract';
import type { MarketRules } from '../ports/exchange.port';
import type { Holdings } from './account-ledger';

export interface AccountDrift {
  flows: Omit<CashFlow, 'id'>[];
  holdings: Holdings;
}

/** float noise of sums over many fills, not money: an amount within this of the expected one has not moved */
const moved = (diff: number, scale: number) => Math.abs(diff) > 1e-8 + 1e-9 * Math.abs(scale);

/**
 * What the account holds against what the bot's own orders explain, for the traded market's two assets. A change no
 * order explains is a cash flow, valued at `price` (a deposit or withdrawal; `external` when base and quote moved in
 * opposite directions, as a trade made by hand does). Base that moved by less than the market minimum is dust (the
 * coin left when a fee is taken and the rest rounded down to the amount step): it joins the holdings without a cash
 * flow, as its cost was already booked as fee. Null when nothing moved or the base cannot be valued yet.
 */
/** float noise off an amount (sums of fills leave 1e-16s): exchanges count assets to 1e-8 at the finest */
const clean = (x: number) => Math.round(x * 1e12) / 1e12;

export function accountDrift(o: {
  expected: { base: number; quote: number };
  actual: { base: number; quote: number };
  price: number;
  rules: MarketRules;
  holdings: Holdings;
  ts: number;
}): AccountDrift | null {
  const { rules, price, ts } = o;
  const dBase = clean(o.actual.base - o.expected.base);
  const dQuote = clean(o.actual.quote - o.expected.quote);
  const baseMoved = moved(dBase, o.actual.base);
  const quoteMoved = moved(dQuote, o.actual.quote);
  if (!baseMoved && !quoteMoved) return null;
  if (baseMoved && !(price > 0 && Number.isFinite(price))) return null;
  const holdings = { ...o.holdings };
  const flows: Omit<CashFlow, 'id'>[] = [];
  const external = baseMoved && quoteMoved && Math.sign(dBase) !== Math.sign(dQuote);
  const kind = (amount: number): CashFlow['kind'] => (external ? 'external' : amount > 0 ? 'deposit' : 'withdrawal');
  const dust = Math.abs(dBase) < rules.minAmount || Math.abs(dBase) * price < rules.minNotional;
  if (baseMoved && dust && !quoteMoved) {
    holdings.base += dBase;
  } else if (baseMoved) {
    const value = dBase * price;
    flows.push({ ts, asset: rules.base, amount: dBase, value, kind: kind(dBase) });
    holdings.base += dBase;
    holdings.basis += value;
  }
  if (quoteMoved) flows.push({ ts, asset: rules.quote, amount: dQuote, value: dQuote, kind: kind(dQuote) });
  return { flows, holdings };
}
