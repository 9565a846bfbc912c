import { WARMUP_CANDLES } from '../engine/bot';
import { basename } from 'node:path';
import { TIMEFRAME_MS, type Timeframe } from '../../src-shared/contract';
import type { ExchangeCredentials, ExchangeSpec } from '../engine/adapters/ccxt/open-exchange';
import { PaperExchange } from '../engine/adapters/paper/paper.exchange';
import type { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import type { ConfigManager } from '../engine/config/config-manager';
import { loadCandleFile, marketFromFileName } from '../engine/feeds/candle-file';
import { ReplayFeed } from '../engine/feeds/replay.feed';
import { SyntheticFeed } from '../engine/feeds/synthetic.feed';
import type { Logger } from '../engine/log/logger';
import { paperMarketRules } from '../engine/market/precision';
import type { ExchangePort, MarketRules } from '../engine/ports/exchange.port';
import type { MarketFeed } from '../engine/ports/market-feed.port';
import type { CandleListener } from '../engine/trading-core';
import { EnvError } from '../operations/env-error';
import { resolveLiveLimits, type LiveLimits } from '../operations/live-limits';
import { applyLiveLimits, type EntryLimit } from './live-limits-venue';

export type MarketSpec = { kind: 'replay'; path: string } | { kind: 'synthetic'; seed: number } | { kind: 'live' };

/** binance's MAX_NUM_ALGO_ORDERS filter: stop and take-profit orders resting per market */
const BINANCE_STOP_ORDERS = 5;

/** Where the bot trades: the candles, the market's rules, the exchange that fills, and the money it starts from. */
export interface TradingVenue {
  feed: MarketFeed;
  rules: MarketRules;
  exchange: ExchangePort & CandleListener & { readonly openOrderCount?: number };
  /** the exchange the data comes from when fills are simulated (paper on live data) or real */
  marketSource?: { exchange: string; sandbox: boolean };
  /** live trading: why an entry may not be sent (BOT_LIVE_MAX_ORDER), checked before anything reaches the exchange */
  entryLimit?: EntryLimit;
  /** a new market for a hot-reloaded symbol/timeframe (live data only) */
  switchMarket?: (symbol: string, timeframe: Timeframe) => Promise<{ feed: MarketFeed; rules: MarketRules }>;
  /** timers and connections */
  close(): void;
}

export interface VenueOptions {
  mode: 'paper' | 'live';
  market: MarketSpec;
  exchange: ExchangeSpec;
  credentials?: ExchangeCredentials;
  /** test hooks for the live exchange: resting-order checks, the lost-order grace period, the candle poll's delay */
  live?: { watchEveryMs?: number; unknownGraceMs?: number; accountReadEveryMs?: number; linkedPairs?: boolean };
  /** live trading's limits (docs/contract.md §9); default: the contract's defaults */
  liveLimits?: LiveLimits;
  config: ConfigManager;
  store: SqliteStore;
  logger: Logger;
}

/**
 * The three ways to run (docs/contract.md §7): paper on recorded data, paper on live data, live (or testnet) orders on live
 * data. ccxt is loaded only for the last two.
 */
export async function openVenue(o: VenueOptions): Promise<TradingVenue> {
  const cfg = o.config.current.config;
  if (o.market.kind !== 'live') {
    if (o.mode === 'live') throw new EnvError('BOT_MODE=live trades real orders on live market data; set BOT_MARKET=live too.');
    const feed = recordedFeed(o, o.market);
    return paperVenue(feed, paperMarketRules(o.config.current.config.symbol, feed.referencePrice), o);
  }
  const { openLiveMarket } = await import('../engine/adapters/ccxt/live-market');
  const live = await openLiveMarket({
    spec: o.exchange,
    credentials: o.mode === 'live' ? o.credentials : undefined,
    symbol: cfg.symbol,
    timeframe: cfg.timeframe,
    logger: o.logger,
    warmup: WARMUP_CANDLES,
    ...o.live,
  });
  const marketSource = { exchange: live.exchangeId, sandbox: o.exchange.sandbox };
  // a symbol the exchange does not list (or lists inactive) is a 400 on the config change, before anything moves
  o.config.addCheck((next, current) => {
    if (next.symbol === current.symbol) return null;
    const problem = live.checkSymbol(next.symbol);
    return problem ? { symbol: problem } : null;
  });
  const switchMarket = live.switchMarket;
  if (!live.trading) return { ...paperVenue(live.feed, live.rules, o), marketSource, switchMarket };
  const trading = live.trading;
  let feed: MarketFeed = live.feed;
  if (live.exchangeId === 'binance') {
    // binance rests at most 5 stop orders per market (an OCO's stop counts): a sixth position could not be protected
    o.config.addCheck((next) =>
      next.max_positions > BINANCE_STOP_ORDERS
        ? {
            max_positions: `binance allows ${BINANCE_STOP_ORDERS} stop orders per market, so live trading keeps max_positions at ${BINANCE_STOP_ORDERS} or below`,
          }
        : null,
    );
  }
  try {
    if (live.exchangeId === 'binance' && cfg.max_positions > BINANCE_STOP_ORDERS) {
      throw new EnvError(
        `max_positions is ${cfg.max_positions} but binance allows ${BINANCE_STOP_ORDERS} stop orders per market; lower it (PUT /bot/config in paper mode) before trading live.`,
      );
    }
    const market = { feed: live.feed as MarketFeed, rules: live.rules };
    const limited = await applyLiveLimits({
      limits: o.liveLimits ?? resolveLiveLimits(),
      config: o.config,
      store: o.store,
      logger: o.logger,
      checkSymbol: live.checkSymbol,
      market,
      switchMarket,
    });
    feed = limited.feed;
    return {
      feed,
      rules: live.rules,
      exchange: trading,
      marketSource,
      switchMarket,
      entryLimit: limited.entryLimit,
      close: () => {
        feed.stop?.();
        trading.close();
      },
    };
  } catch (e) {
    feed.stop?.();
    trading.close();
    throw e;
  }
}

function paperVenue(feed: MarketFeed, rules: MarketRules, o: VenueOptions): TradingVenue {
  const cfg = o.config.current.config;
  // a fresh paper account holds the config's paper_balance of the quote; a saved one is loaded from the journal
  const exchange = new PaperExchange({
    rules,
    startingQuote: cfg.paper_balance,
    feePct: cfg.fee_pct,
    slippagePct: cfg.slippage_pct,
    journal: o.store.paperJournal(),
  });
  return { feed, rules, exchange, close: () => feed.stop?.() };
}

/**
 * A replay file named `BASE_QUOTE-TF.json` sets the run's symbol and timeframe (recorded as a config version, so
 * status, chart, orders and trades all name the market whose prices these are).
 */
function recordedFeed(o: VenueOptions, market: Exclude<MarketSpec, { kind: 'live' }>): MarketFeed {
  const { config } = o;
  if (market.kind === 'synthetic') return new SyntheticFeed(market.seed, TIMEFRAME_MS[config.current.config.timeframe]);
  const series = loadCandleFile(market.path);
  const named = marketFromFileName(market.path, series);
  const { symbol, timeframe } = config.current.config;
  if (named && (named.symbol !== symbol || named.timeframe !== timeframe)) {
    const openPositions = o.store.loadOpenPositions().length;
    if (openPositions > 0) {
      throw new Error(
        `${basename(market.path)} holds ${named.symbol} ${named.timeframe} candles but this data directory has ${openPositions} open ${symbol} position(s); close them first or use another BOT_DATA_DIR`,
      );
    }
    config.update({ patch: named, actor: 'startup', reason: `replay file ${basename(market.path)}`, openPositions, now: Date.now() });
    o.logger.info(
      `replaying ${basename(market.path)}: symbol ${named.symbol} and timeframe ${named.timeframe} come from the file name (the config said ${symbol} ${timeframe})`,
    );
  }
  return new ReplayFeed(series, `replay of ${market.path}`);
}
