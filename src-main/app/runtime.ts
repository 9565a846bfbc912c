import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import {
  DESK_OPERATIONS,
  ServiceError,
  type DeskOperationHandlers,
  type LogRecord,
  type OperationHandlers,
  type OperationName,
} from '../../src-shared/contract';
import { EventBus, type EventFeed } from '../engine/events/event-bus';
import { SqliteEventJournal } from '../engine/adapters/sqlite/event-journal';
import { createLogger, type Logger, type RestorableLogger } from '../engine/log/logger';
import { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import { ConfigManager } from '../engine/config/config-manager';
import type { ExchangeCredentials, ExchangeSpec } from '../engine/adapters/ccxt/open-exchange';
import { openVenue, type MarketSpec, type VenueOptions } from './trading-venue';
import { Bot } from '../engine/bot';
import { createOperationHandlers } from '../operations/bot-operations';
import { acquireInstanceLock } from './instance-lock';
import { createAudit, type Audit } from '../operations/audit';
import { FleetManager } from '../fleet/fleet-manager';
import { createFleetHandlers } from '../fleet/fleet-handlers';
import type { TokenVault } from '../fleet/fleet-store';
import type { LiveLimits } from '../operations/live-limits';
import { Lab, type LabOptions } from '../engine/lab/lab';
import { createLabHandlers } from '../operations/lab-operations';
import { createJsonAnswers, type JsonAnswers } from '../operations/json-answers';

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
  /** trading keys (BOT_MODE=live) */
  credentials?: ExchangeCredentials;
  /** test hooks for the live exchange */
  live?: VenueOptions['live'];
  /** live trading's limits (BOT_LIVE_* or the desktop Settings; docs/contract.md §9); default: the contract's defaults */
  liveLimits?: LiveLimits;
  logger?: Logger & Partial<Pick<RestorableLogger, 'addSink' | 'restore' | 'written'>>;
  /** tokens, settings and keys (desktop/desk-handlers.ts), given the audit log; without it those operations answer 409 */
  deskHandlers?: (audit: Audit) => DeskOperationHandlers;
  /** the fleet's token vault (desktop: safeStorage; default a 0600 file in dataDir) and health probe interval */
  fleet?: { vault?: TokenVault; probeEveryMs?: number };
  /** the strategy lab's worker threads per sweep and its download retries (tests make them small) */
  lab?: Pick<LabOptions, 'threads' | 'retry'>;
}

export interface BotRuntime {
  /** the one implementation behind HTTP and IPC */
  handlers: OperationHandlers;
  /** read operations whose answers change only when these numbers move: the API server reuses their serialized answers */
  answerVersions: Partial<Record<OperationName, () => number>>;
  /** history reads answered straight as JSON text, for the HTTP server (json-answers.ts) */
  jsonAnswers: JsonAnswers;
  events: EventFeed;
  logger: Logger;
  bot: Bot;
  store: SqliteStore;
  /** every bot this app manages: this one plus remote BotDesk servers */
  fleet: FleetManager;
  /** write the log records still pending to the database now (they go once a second; a reader of the file needs them at once) */
  flushLogs(): void;
  /** stop the loop, flush the database */
  close(): Promise<void>;
}

export { type MarketSpec } from './trading-venue';
/** per level: the database keeps the newest 5,000 records of each level, a restart restores 2,000 of each */
export const LOG_ROWS_KEPT = 5000;
const LOG_TAIL_RESTORED = 2000;
const LIVE_LOOP_CHECKS_PER_S = 4;

/** The bundled sample (real XRP/USDT 5m candles), in the source tree, beside the build and next to a packaged app. */
export function sampleCandlesPath(): string {
  const candidates = [
    fileURLToPath(new URL('../../resources/sample-XRP_USDT-5m.json', import.meta.url)),
    // the build runs this from out/main/chunks/, whatever the working directory (`node /path/to/scripts/serve.mjs`)
    fileURLToPath(new URL('../../../resources/sample-XRP_USDT-5m.json', import.meta.url)),
    join(process.cwd(), 'resources', 'sample-XRP_USDT-5m.json'),
    join((process as { resourcesPath?: string }).resourcesPath ?? '', 'resources', 'sample-XRP_USDT-5m.json'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** Compose the bot for headless and desktop alike: store, config, feed, paper exchange, engine, handlers. */
export async function createBotRuntime(opts: BotRuntimeOptions): Promise<BotRuntime> {
  const mode = opts.mode ?? 'paper';
  const logger = opts.logger ?? createLogger();
  const lock = acquireInstanceLock(opts.dataDir);
  let store: SqliteStore;
  let journal: SqliteEventJournal;
  try {
    store = new SqliteStore(opts.dataDir);
    journal = new SqliteEventJournal(opts.dataDir);
  } catch (e) {
    lock.release();
    throw e;
  }
  // the stream goes on where it stopped, even after a kill: `?since=` reaches across restarts (docs/contract.md §5)
  const events = new EventBus(undefined, undefined, journal);
  let stopFeed = () => {};
  let lab: Lab | undefined;
  let flushLogs: NodeJS.Timeout | undefined;
  try {
    const pendingLogs: LogRecord[] = [];
    // GET /bot/logs after a restart still shows what happened before it
    logger.restore?.(store.recentLogs(LOG_TAIL_RESTORED));
    logger.addSink?.((r) => {
      events.publish('log', r);
      pendingLogs.push(r);
    });
    const writeLogs = () => store.appendLogs(pendingLogs.splice(0), LOG_ROWS_KEPT);
    flushLogs = setInterval(writeLogs, 1000);
    flushLogs.unref();

    const config = new ConfigManager(store, Date.now());
    const market = opts.market ?? { kind: 'replay', path: sampleCandlesPath() };
    const v = await openVenue({
      mode,
      market,
      exchange: opts.exchange ?? { id: 'binance', sandbox: false },
      credentials: opts.credentials,
      live: opts.live,
      liveLimits: opts.liveLimits,
      config,
      store,
      logger,
    });
    stopFeed = v.close;
    // a live feed hands over candles as they close: the loop just looks for the next one a few times a second
    const speed = market.kind === 'live' ? LIVE_LOOP_CHECKS_PER_S : (opts.replaySpeed ?? 1);
    const bot = new Bot({
      store,
      config,
      exchange: v.exchange,
      rules: v.rules,
      feed: v.feed,
      events,
      logger,
      mode,
      speed,
      marketSource: v.marketSource,
      switchMarket: v.switchMarket,
      entryLimit: v.entryLimit,
      accountReadEveryMs: opts.live?.accountReadEveryMs,
    });
    await bot.init();
    const audit: Audit = createAudit({ store, logger });
    const exchangeSpec = opts.exchange ?? { id: 'binance', sandbox: false };
    lab = new Lab({ dataDir: opts.dataDir, exchange: exchangeSpec, events, logger, baseConfig: () => config.current.config, ...opts.lab });
    const labNow = lab;
    const botHandlers = { ...createOperationHandlers({ bot, config, store, logger, events }), ...createLabHandlers(labNow) };
    const fleet = new FleetManager({
      dataDir: opts.dataDir,
      handlers: botHandlers,
      events,
      logger,
      vault: opts.fleet?.vault,
      probeEveryMs: opts.fleet?.probeEveryMs,
    });
    const handlers: OperationHandlers = {
      ...botHandlers,
      ...(opts.deskHandlers?.(audit) ?? deskUnavailable()),
      ...createFleetHandlers(fleet, audit),
    };
    let closing: Promise<void> | null = null;
    const answerVersions: BotRuntime['answerVersions'] = { getTrades: () => store.tradesVersion, getEquity: () => store.equityVersion };
    // a logger that counts its records lets the log tail be reused too
    if (logger.written !== undefined) answerVersions.getLogs = () => logger.written as number;
    return {
      handlers,
      answerVersions,
      jsonAnswers: createJsonAnswers({ store, logger }),
      events,
      logger,
      bot,
      store,
      fleet,
      flushLogs: () => {
        if (!closing) writeLogs();
      },
      close: () =>
        (closing ??= (async () => {
          fleet.close();
          labNow.close();
          stopFeed();
          await bot.close();
          clearInterval(flushLogs);
          writeLogs();
          store.close();
          journal.close();
          lock.release();
        })()),
    };
  } catch (e) {
    // a start refused after the log flush began (a bad live limit, an exchange that will not open) must not leave
    // it writing into the closed database
    clearInterval(flushLogs);
    lab?.close();
    stopFeed();
    store.close();
    journal.close();
    lock.release();
    throw e;
  }
}

/** a runtime composed without the app around it (tests, tools): its settings operations say so */
function deskUnavailable(): DeskOperationHandlers {
  const refuse = () => {
    throw new ServiceError(409, 'This process does not manage tokens, settings or keys.');
  };
  return Object.fromEntries(DESK_OPERATIONS.map((name) => [name, refuse])) as unknown as DeskOperationHandlers;
}
