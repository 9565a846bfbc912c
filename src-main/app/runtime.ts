import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { TIMEFRAME_MS, type LogRecord, type OperationHandlers, type OperationName } from '../../src-shared/contract';
import { EventBus, type EventFeed } from '../engine/events/event-bus';
import { createLogger, type Logger, type RestorableLogger } from '../engine/log/logger';
import { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import { PaperExchange } from '../engine/adapters/paper/paper.exchange';
import { ConfigManager } from '../engine/config/config-manager';
import { loadCandleFile } from '../engine/feeds/candle-file';
import { ReplayFeed } from '../engine/feeds/replay.feed';
import { SyntheticFeed } from '../engine/feeds/synthetic.feed';
import { paperMarketRules } from '../engine/market/precision';
import type { MarketFeed } from '../engine/ports/market-feed.port';
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
  logger?: Logger & Partial<Pick<RestorableLogger, 'addSink' | 'restore' | 'written'>>;
}

export interface BotRuntime {
  /** the one implementation behind HTTP and IPC */
  handlers: OperationHandlers;
  /** read operations whose answers change only when these numbers move: the API server reuses their serialized answers */
  answerVersions: Partial<Record<OperationName, () => number>>;
  events: EventFeed;
  logger: Logger;
  bot: Bot;
  store: SqliteStore;
  /** stop the loop, flush the database */
  close(): Promise<void>;
}

export const PAPER_START_EQUITY = 10_000;
/** per level: the database keeps the newest 5,000 records of each level, a restart restores 2,000 of each */
export const LOG_ROWS_KEPT = 5000;
const LOG_TAIL_RESTORED = 2000;

/** The bundled sample (real XRP/USDT 5m candles), in the source tree and next to a packaged app. */
export function sampleCandlesPath(): string {
  const candidates = [
    fileURLToPath(new URL('../../resources/sample-XRP_USDT-5m.json', import.meta.url)),
    join(process.cwd(), 'resources', 'sample-XRP_USDT-5m.json'),
    join((process as { resourcesPath?: string }).resourcesPath ?? '', 'resources', 'sample-XRP_USDT-5m.json'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

function createFeed(market: MarketSpec, timeframeMs: number): MarketFeed {
  if (market.kind === 'replay') return new ReplayFeed(loadCandleFile(market.path), `replay of ${market.path}`);
  if (market.kind === 'synthetic') return new SyntheticFeed(market.seed, timeframeMs);
  throw new Error('BOT_MARKET=live is not available yet in this version (it arrives with live trading); use replay or synthetic');
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
    const feed = createFeed(market, TIMEFRAME_MS[config.current.config.timeframe]);
    const cfg = config.current.config;
    const rules = paperMarketRules(cfg.symbol, feed.referencePrice);
    const exchange = new PaperExchange({ rules, startingQuote: PAPER_START_EQUITY, feePct: cfg.fee_pct, slippagePct: cfg.slippage_pct, journal: store.paperJournal() });
    const bot = new Bot({ store, config, exchange, rules, feed, events, logger, mode, startEquity: PAPER_START_EQUITY, speed: opts.replaySpeed ?? 1 });
    await bot.init();
    const handlers = createOperationHandlers({ bot, config, store, logger, events, startEquity: PAPER_START_EQUITY });
    let closing: Promise<void> | null = null;
    const answerVersions: BotRuntime['answerVersions'] = { getTrades: () => store.tradesVersion, getEquity: () => store.equityVersion };
    // a logger that counts its records lets the log tail be reused too
    if (logger.written !== undefined) answerVersions.getLogs = () => logger.written as number;
    return {
      handlers, answerVersions, events, logger, bot, store,
      close: () => (closing ??= (async () => {
        await bot.close();
        clearInterval(flushLogs);
        store.appendLogs(pendingLogs.splice(0), LOG_ROWS_KEPT);
        store.close();
        lock.release();
      })()),
    };
  } catch (e) {
    store.close();
    lock.release();
    throw e;
  }
}
