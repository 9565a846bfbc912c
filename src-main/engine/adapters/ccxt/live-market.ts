import type { Timeframe } from '../../../../src-shared/contract';
import type { Logger } from '../../log/logger';
import type { MarketRules } from '../../ports/exchange.port';
import { CcxtExchange } from './ccxt.exchange';
import { LiveFeed } from './live.feed';
import { marketRules } from './market-rules';
import { openExchange, openReadClient, type ExchangeCredentials, type ExchangeSpec } from './open-exchange';

export interface LiveMarket {
  feed: LiveFeed;
  rules: MarketRules;
  exchangeId: string;
  /** the exchange that fills orders, when keys were given (live and testnet trading) */
  trading: CcxtExchange | null;
  /** why the exchange cannot trade `symbol`, or null when it can */
  checkSymbol(symbol: string): string | null;
  /** another market of the same exchange: its rules and a started feed (hot-reloaded symbol or timeframe) */
  switchMarket(symbol: string, timeframe: Timeframe): Promise<{ feed: LiveFeed; rules: MarketRules }>;
}

/**
 * A real exchange: its markets loaded, the traded symbol checked (exists, active) and its rules taken from the
 * exchange, the warm-up history fetched, each candle asked for at its close from then on. Public data needs no keys; with keys the
 * same ccxt instance also trades.
 */
export async function openLiveMarket(o: {
  spec: ExchangeSpec;
  credentials?: ExchangeCredentials;
  symbol: string;
  timeframe: Timeframe;
  logger: Logger;
  warmup: number;
  /** test hooks for the trading side: how often resting orders are checked, how long a lost order may stay unseen */
  watchEveryMs?: number;
  unknownGraceMs?: number;
  /** the exchange's stop-loss/take-profit pairs taken as unlinked (exchanges without OCO lists), on the emulator */
  linkedPairs?: boolean;
}): Promise<LiveMarket> {
  const exchange = await openExchange(o.spec, o.credentials);
  const rules = marketRules(exchange, o.symbol);
  const feed = new LiveFeed({
    exchange,
    symbol: o.symbol,
    timeframe: o.timeframe,
    logger: o.logger,
    warmup: o.warmup,
  });
  await feed.start();
  o.logger.info(
    `live market data: ${exchange.id}${o.spec.sandbox ? ' testnet' : ''} ${o.symbol} ${o.timeframe}; amount step ${rules.amountStep}, price tick ${rules.priceStep}, min amount ${rules.minAmount}, min order value ${rules.minNotional} ${rules.quote}`,
  );
  const trading = o.credentials
    ? new CcxtExchange({
        exchange,
        rules,
        watchEveryMs: o.watchEveryMs,
        unknownGraceMs: o.unknownGraceMs,
        linkedPairs: o.linkedPairs,
        // reads asked over the API get a client (and so a rate-limit queue) of their own
        readClient: () => openReadClient(o.spec, o.credentials, exchange),
        note: (level, msg, fields) => o.logger[level](`${exchange.id}: ${msg}`, fields),
      })
    : null;
  return {
    feed,
    rules,
    exchangeId: exchange.id,
    trading,
    checkSymbol(symbol) {
      try {
        marketRules(exchange, symbol);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    },
    async switchMarket(symbol, timeframe) {
      const next = marketRules(exchange, symbol);
      const nextFeed = new LiveFeed({ exchange, symbol, timeframe, logger: o.logger, warmup: o.warmup });
      await nextFeed.start();
      return { feed: nextFeed, rules: next };
    },
  };
}
