import type { Timeframe } from '../../../../src-shared/contract';
import type { Logger } from '../../log/logger';
import type { MarketRules } from '../../ports/exchange.port';
import { LiveFeed } from './live.feed';
import { marketRules } from './market-rules';
import { openExchange, type ExchangeSpec } from './open-exchange';

export interface LiveMarket {
  feed: LiveFeed;
  rules: MarketRules;
  exchangeId: string;
}

/**
 * Public market data of a real exchange: its markets loaded, the traded symbol checked (exists, active) and its
 * rules taken from the exchange, the warm-up history fetched, candles polled from then on. No keys needed.
 */
export async function openLiveMarket(o: { spec: ExchangeSpec; symbol: string; timeframe: Timeframe; logger: Logger; warmup: number }): Promise<LiveMarket> {
  const exchange = await openExchange(o.spec);
  const rules = marketRules(exchange, o.symbol);
  const feed = new LiveFeed({ exchange, symbol: o.symbol, timeframe: o.timeframe, logger: o.logger, warmup: o.warmup });
  await feed.start();
  o.logger.info(`live market data: ${exchange.id}${o.spec.sandbox ? ' testnet' : ''} ${o.symbol} ${o.timeframe}; amount step ${rules.amountStep}, price tick ${rules.priceStep}, min amount ${rules.minAmount}, min order value ${rules.minNotional} ${rules.quote}`);
  return { feed, rules, exchangeId: exchange.id };
}
