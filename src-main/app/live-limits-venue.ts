import { ServiceError, type Timeframe } from '../../src-shared/contract';
import type { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import type { ConfigManager } from '../engine/config/config-manager';
import type { Logger } from '../engine/log/logger';
import type { MarketRules } from '../engine/ports/exchange.port';
import type { MarketFeed } from '../engine/ports/market-feed.port';
import { EngineError } from '../engine/errors';
import { EnvError } from '../operations/env-error';
import type { LiveLimits } from '../operations/live-limits';

/** why an entry of `amount` at `price` may not be sent, or null: checked before anything reaches the exchange */
export type EntryLimit = (amount: number, price: number) => string | null;

/**
 * Live trading under its limits (docs/contract.md §9), at start: every listed market must exist on the exchange (one line
 * naming the one that does not), a config symbol outside the list moves to the list's first market, and a kill switch
 * that is off or above the ceiling is set to the ceiling (both recorded as config versions by `startup`, with a log
 * line: the bot starts inside its limits rather than refusing to start). From then on the config checks keep
 * `symbol` and `max_daily_loss_pct` inside them (400 naming the field and the limit), and the returned EntryLimit
 * refuses an entry worth more than the max order.
 */
export async function applyLiveLimits(o: {
  limits: LiveLimits;
  config: ConfigManager;
  store: SqliteStore;
  logger: Logger;
  /** the exchange's problem with a symbol (not listed, inactive), or null */
  checkSymbol(symbol: string): string | null;
  /** the venue's market now; replaced when the symbol has to move */
  market: { feed: MarketFeed; rules: MarketRules };
  switchMarket(symbol: string, timeframe: Timeframe): Promise<{ feed: MarketFeed; rules: MarketRules }>;
}): Promise<{ markets: string[]; feed: MarketFeed; entryLimit: EntryLimit }> {
  const { limits, config, logger } = o;
  const startup = (patch: Parameters<ConfigManager['update']>[0]['patch'], reason: string) => {
    try {
      config.update({ patch, actor: 'startup', reason, openPositions: o.store.loadOpenPositions().length, now: Date.now() });
    } catch (e) {
      throw new EnvError(
        `Live limits: ${reason}, but the config cannot follow: ${e instanceof ServiceError || e instanceof EngineError ? e.message : (e as Error).message}`,
      );
    }
  };

  for (const symbol of limits.markets) {
    const problem = o.checkSymbol(symbol);
    if (problem)
      throw new EnvError(`${limits.source.markets}: ${symbol} cannot be traded (${problem}); remove it from the list or correct it.`);
  }
  let feed = o.market.feed;
  const cfg = config.current.config;
  const markets = limits.markets.length ? [...limits.markets] : [cfg.symbol];
  if (!markets.includes(cfg.symbol)) {
    const open = o.store.loadOpenPositions().length;
    if (open > 0) {
      throw new EnvError(
        `This data directory has ${open} open ${cfg.symbol} position(s), but ${limits.source.markets} allows only ${markets.join(', ')}: add ${cfg.symbol} to the list, or close them first.`,
      );
    }
    const to = markets[0];
    startup(
      { symbol: to },
      `${cfg.symbol} is not among the markets live trading may use (${limits.source.markets}: ${markets.join(', ')})`,
    );
    const next = await o.switchMarket(to, cfg.timeframe);
    feed.stop?.();
    feed = next.feed;
    // the rules object is shared with the trading adapter: rewritten in place, it follows
    Object.assign(o.market.rules, next.rules);
    logger.warn(
      `live limits: the config's symbol ${cfg.symbol} is not in ${limits.source.markets} (${markets.join(', ')}); trading ${to} instead (config version ${config.current.version} by startup)`,
    );
  }

  const ceiling = limits.maxDailyLossPct;
  const loss = config.current.config.max_daily_loss_pct;
  if (!(loss > 0 && loss <= ceiling)) {
    startup(
      { max_daily_loss_pct: ceiling },
      `max_daily_loss_pct ${loss} is outside the live limit (above 0, at most ${ceiling}: ${limits.source.maxDailyLossPct})`,
    );
    logger.warn(
      `live limits: max_daily_loss_pct was ${loss}${loss === 0 ? ' (kill switch off)' : ''}; live trading keeps it above 0 and at most ${ceiling} (${limits.source.maxDailyLossPct}), so it is now ${ceiling} (config version ${config.current.version} by startup)`,
    );
  }

  config.addCheck((next) =>
    markets.includes(next.symbol)
      ? null
      : {
          symbol: `live trading may use only ${markets.join(', ')} (${limits.source.markets}); the list is set where the exchange keys are (environment, or Settings in the desktop window), not over the API`,
        },
  );
  config.addCheck((next) =>
    next.max_daily_loss_pct > 0 && next.max_daily_loss_pct <= ceiling
      ? null
      : {
          max_daily_loss_pct: `live trading keeps the kill switch on: above 0 and at most ${ceiling} (${limits.source.maxDailyLossPct}); the ceiling is set where the exchange keys are, not over the API`,
        },
  );

  const rules = o.market.rules;
  const entryLimit: EntryLimit = (amount, price) => {
    if (limits.maxOrder === null) return null;
    const value = amount * price;
    if (!(value > limits.maxOrder * (1 + 1e-9))) return null;
    const why = `the entry would be worth ${round(value)} ${rules.quote}, over the most one order may be worth: ${limits.maxOrder} ${rules.quote} (${limits.source.maxOrder})`;
    logger.warn(`entry not sent: ${why}`);
    return why;
  };
  if (limits.markets.length || limits.maxOrder !== null) {
    logger.info(
      `live limits: markets ${markets.join(', ')}; max_daily_loss_pct at most ${ceiling}; max order ${limits.maxOrder === null ? 'none' : `${limits.maxOrder} ${rules.quote}`}`,
    );
  }
  return { markets, feed, entryLimit };
}

const round = (v: number) => Number(v.toPrecision(8));
