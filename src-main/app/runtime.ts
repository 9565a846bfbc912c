import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { TIMEFRAME_MS, type LogRecord, type OperationHandlers } from '../../src-shared/contract';
import { EventBus, type EventFeed } from '../engine/events/event-bus';
import { createLogger, type Logger, type RestorableLogger } from '../engine/log/logger';
import { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import { PaperExchange } from '../engine/adapters/paper/paper.exchange';
import { ConfigManager } from '../engine/config/config-manager';
import { loadCandleFile, marketFromFileName } from '../engine/feeds/candle-file';
import { ReplayFeed } from '../engine/feeds/replay.feed';
import { SyntheticFeed } from '../engine/feeds/synthetic.feed';
import { paperMarketRules } from '../engine/market/precision';
import type { MarketFeed } from '../engine/ports/market-feed.port';
import type { MarketRules } from '../engine/ports/exchange.port';
import type { ExchangeSpec } from '../engine/adapters/ccxt/open-exchange';
import { Bot } from '../engine/bot';
import { createOperationHandlers } from './operation-handlers';
import { acquireInstanceLock } from './instance-lock';

export type MarketSpec =
  | { kind: 'replay'; path: string }
  | { kind: 'synthetic'; seed: number }
  | { kind: 'live' };

export interface BotRuntimeOptions {
  /** database, token file, logs */
  dataDir: string;
  mode?: 'paper' | 'live';
  /** default: replay of the bundled sample candles */
  market?: MarketSpec;
  /** candles per second for replay/synthetic; 'max' = as fast as possible */
  replaySpeed?: number | 'max';
  /** the exchange for live market data (BOT_EXCHANGE, BOT_EXCHANGE_SANDBOX, BOT_EXCHANGE_API_URL) */
  exchange?: ExchangeSpec;
  logger?: Logger & Partial<Pick<RestorableLogger, 'addSink' | 'restore'>>;
}

export interface BotRuntime {
  /** the one implementation behind HTTP and IPC */
  handlers: OperationHandlers;
  events: EventFeed;
  logger: Logger;
  bot: Bot;
  store: SqliteStore;
  /** stop the loop, flush the database */
  close(): Promise<void>;
}

export const PAPER_START_EQUITY = 10_000;
const LOG_ROWS_KEPT = 5000;
const LOG_TAIL_RESTORED = 2000;
/** the strategy's warm-up and the chart's first screen, fetched from a live exchange at start */
const WARMUP_CANDLES = 300;
const LIVE_LOOP_CHECKS_PER_S = 4;

/** The bundled sample (real XRP/USDT 5m candles), in the source tree and next to a packaged app. */
export function sampleCandlesPath(): string {
  const candidates = [
    fileURLToPath(new URL('../../resources/sample-XRP_USDT-5m.json', import.meta.url)),
    join(process.cwd(), 'resources', 'sample-XRP_USDT-5m.json'),
    join((process as { resourcesPath?: string }).resourcesPath ?? '', 'resources', 'sample-XRP_USDT-5m.json'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** The candles the bot trades on, the market's rules, and where they come from. */
interface OpenedMarket {
  feed: MarketFeed;
  rules: MarketRules;
  /** the exchange the data comes from (live market data) */
  venue?: { exchange: string; sandbox: boolean };
}

/**
 * The candle feed and the market's rules. A replay file named `BASE_QUOTE-TF.json` sets the run's symbol and
 * timeframe (recorded as a config version, so status, chart, orders and trades all name the market whose prices
 * these are). Live data comes from the exchange through ccxt, loaded only then.
 */
async function openMarket(p: { market: MarketSpec; exchange: ExchangeSpec; config: ConfigManager; store: SqliteStore; logger: Logger }): Promise<OpenedMarket> {
  const { market, config } = p;
  if (market.kind === 'live') {
    const { symbol, timeframe } = config.current.config;
    const { openLiveMarket } = await import('../engine/adapters/ccxt/live-market');
    const live = await openLiveMarket({ spec: p.exchange, symbol, timeframe, logger: p.logger, warmup: WARMUP_CANDLES });
    return { feed: live.feed, rules: live.rules, venue: { exchange: live.exchangeId, sandbox: p.exchange.sandbox } };
  }
  let feed: MarketFeed;
  if (market.kind === 'replay') {
    const series = loadCandleFile(market.path);
    const named = marketFromFileName(market.path, series);
    const { symbol, timeframe } = config.current.config;
    if (named && (named.symbol !== symbol || named.timeframe !== timeframe)) {
      const openPositions = p.store.loadOpenPositions().length;
      if (openPositions > 0) {
        throw new Error(`${basename(market.path)} holds ${named.symbol} ${named.timeframe} candles but this data directory has ${openPositions} open ${symbol} position(s); close them first or use another BOT_DATA_DIR`);
      }
      config.update({ patch: named, actor: 'startup', reason: `replay file ${basename(market.path)}`, openPositions, now: Date.now() });
      p.logger.info(`replaying ${basename(market.path)}: symbol ${named.symbol} and timeframe ${named.timeframe} come from the file name (the config said ${symbol} ${timeframe})`);
    }
    feed = new ReplayFeed(series, `replay of ${market.path}`);
  } else {
    feed = new SyntheticFeed(market.seed, TIMEFRAME_MS[config.current.config.timeframe]);
  }
  return { feed, rules: paperMarketRules(config.current.config.symbol, feed.referencePrice) };
}

/** Compose the bot for headless and desktop alike: store, config, feed, paper exchange, engine, handlers. */
export async function createBotRuntime(opts: BotRuntimeOptions): Promise<BotRuntime> {
  const mode = opts.mode ?? 'paper';
  if (mode === 'live') throw new Error('BOT_MODE=live is not available yet in this version; use paper');
  const events = new EventBus();
  const logger = opts.logger ?? createLogger();
  const lock = acquireInstanceLock(opts.dataDir);
  let store: SqliteStore;
  try {
    store = new SqliteStore(opts.dataDir);
  } catch (e) {
    lock.release();
    throw e;
  }
  let stopFeed = () => {};
  try {
    const pendingLogs: LogRecord[] = [];
    // GET /bot/logs after a restart still shows what happened before it
    logger.restore?.(store.recentLogs(LOG_TAIL_RESTORED));
    logger.addSink?.((r) => {
      events.publish('log', r);
      pendingLogs.push(r);
    });
    const flushLogs = setInterval(() => store.appendLogs(pendingLogs.splice(0), LOG_ROWS_KEPT), 1000);
    flushLogs.unref();

    const config = new ConfigManager(store, Date.now());
    const market = opts.market ?? { kind: 'replay', path: sampleCandlesPath() };
    const { feed, rules, venue } = await openMarket({ market, exchange: opts.exchange ?? { id: 'binance', sandbox: false }, config, store, logger });
    stopFeed = () => feed.stop?.();
    const cfg = config.current.config;
    const exchange = new PaperExchange({ rules, startingQuote: PAPER_START_EQUITY, feePct: cfg.fee_pct, slippagePct: cfg.slippage_pct, journal: store.paperJournal() });
    // a live feed hands over candles as they close: the loop just looks for the next one a few times a second
    const speed = market.kind === 'live' ? LIVE_LOOP_CHECKS_PER_S : opts.replaySpeed ?? 1;
    const bot = new Bot({ store, config, exchange, rules, feed, events, logger, mode, startEquity: PAPER_START_EQUITY, speed, venue });
    await bot.init();
    const handlers = createOperationHandlers({ bot, config, store, logger, events, startEquity: PAPER_START_EQUITY });
    let closing: Promise<void> | null = null;
    return {
      handlers, events, logger, bot, store,
      close: () => (closing ??= (async () => {
        stopFeed();
        await bot.close();
        clearInterval(flushLogs);
        store.appendLogs(pendingLogs.splice(0), LOG_ROWS_KEPT);
        store.close();
        lock.release();
      })()),
    };
  } catch (e) {
    stopFeed();
    store.close();
    lock.release();
    throw e;
  }
}
