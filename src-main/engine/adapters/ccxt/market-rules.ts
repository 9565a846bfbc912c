import type { Exchange, Market } from 'ccxt';
import type { MarketRules } from '../../ports/exchange.port';
import { ExchangeSetupError } from './open-exchange';

/** ccxt precision as a step: in TICK_SIZE mode it already is one; in DECIMAL_PLACES mode it counts decimals. */
function step(precision: number | undefined, tickSizeMode: boolean): number | null {
  if (precision === undefined || precision === null || !Number.isFinite(precision)) return null;
  return tickSizeMode ? precision : 10 ** -precision;
}

/**
 * The traded market's rules as the exchange states them: amount step, price tick, minimum amount and order value.
 * A symbol the exchange does not list, or lists as inactive, stops the start.
 */
export function marketRules(exchange: Exchange, symbol: string): MarketRules {
  const market: Market | undefined = exchange.markets?.[symbol];
  if (!market) {
    const near = Object.keys(exchange.markets ?? {})
      .filter((s) => s.startsWith(`${symbol.split('/')[0]}/`))
      .slice(0, 5);
    throw new ExchangeSetupError(
      `${exchange.id} has no spot market ${symbol}${near.length ? ` (it has ${near.join(', ')})` : ''}; set "symbol" in the config.`,
    );
  }
  if (market.active === false)
    throw new ExchangeSetupError(`${exchange.id} lists ${symbol} as inactive (trading halted); choose another symbol.`);
  // ccxt's TICK_SIZE constant is 4 (DECIMAL_PLACES 2, SIGNIFICANT_DIGITS 3)
  const tickSizeMode = exchange.precisionMode === 4;
  const amountStep = step(market.precision.amount, tickSizeMode);
  const priceStep = step(market.precision.price, tickSizeMode);
  if (amountStep === null || priceStep === null)
    throw new ExchangeSetupError(`${exchange.id} gives no amount or price precision for ${symbol}; BotDesk cannot size orders on it.`);
  return {
    symbol,
    base: market.base,
    quote: market.quote,
    amountStep,
    priceStep,
    minAmount: market.limits.amount?.min ?? amountStep,
    minNotional: market.limits.cost?.min ?? 0,
  };
}
