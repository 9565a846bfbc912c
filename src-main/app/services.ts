import { join } from 'node:path';
import type { RestorableLogger } from '../engine/log/logger';
import { createApiServer, type ApiServer } from '../server/api-server';
import { TokenAuth } from '../server/token-auth';
import { loadOrCreateControlToken, loadReadToken } from '../server/token-store';
import type { ExchangeCredentials } from '../engine/adapters/ccxt/open-exchange';
import { createDeskHandlers } from '../desktop/desk-handlers';
import { EnvError, type AppEnv } from './env';
import { createBotRuntime, type BotRuntime } from './runtime';
import { readExchangeKeys } from '../desktop/exchange-keys';
import { closeInOrder, type StepListener } from './shutdown';
import type { SecretStore } from '../desktop/secret-store';
import { SettingsStore } from '../desktop/settings-store';
import { FileTokenVault, type TokenCipher } from '../fleet/fleet-store';
import { ensureWritableDataDir } from './data-dir';
import { resolveLiveLimits } from '../operations/live-limits';
import { invokeOperation } from '../operations/invoke-operation';
import type { NotifyConfig } from '../../src-shared/contract';
import { createNotifier, notifySecrets, type Notifier } from '../notify/notifier';
import { createNotifyHandlers, type NotifySource } from '../notify/notify-handlers';
import { ownApiWebhook, readNotifyFile } from '../notify/notify-file';
import { NotifyStore } from '../notify/notify-store';
import { renderNotifyMetrics } from '../notify/notify-metrics';

export interface Services {
  runtime: BotRuntime;
  api: ApiServer;
  /** the app settings (the tray reads `notifications` through get() and onChange) */
  settings: SettingsStore;
  /** webhooks and the Telegram chat (docs/contract.md §10) */
  notifier: Notifier;
  /** stop the loop, close the API (WebSocket clients get 1001), flush the database; `onStep` hears each step done */
  close(onStep?: StepListener): Promise<void>;
}

/**
 * The bot and its management API, composed the same way for headless and desktop: token, runtime, server.
 * Prints the contract's ready line once the server listens, as the last line of start-up.
 */
export async function startServices(o: {
  env: AppEnv;
  logger: RestorableLogger;
  staticDir?: string;
  out?: (line: string) => void;
  /** lines printed once the server listens, before the ready line (which stays the last line of start-up) */
  beforeReady?: (api: ApiServer) => string[];
  /** desktop: exchange keys in the OS keychain (headless has none: keys come from BOT_EXCHANGE_KEY_FILE) */
  secrets?: SecretStore;
  /** desktop: registers or removes the login item; headless stores the setting for the desktop app */
  applyLaunchAtLogin?: (on: boolean) => void;
  /** desktop: the fleet's tokens for remote bots encrypted by the OS keychain (headless: a 0600 file) */
  tokenCipher?: TokenCipher;
}): Promise<Services> {
  const { env, logger } = o;
  // before the token file is written there: a folder this user may not write is named in one line
  ensureWritableDataDir(env.dataDir);
  const controlToken = loadOrCreateControlToken({ dataDir: env.dataDir, envToken: env.controlToken });
  logger.addSecret(controlToken);
  const readToken = loadReadToken({ dataDir: env.dataDir, envToken: env.readToken });
  if (readToken) logger.addSecret(readToken);
  const auth = new TokenAuth(controlToken, readToken);
  const settings = new SettingsStore({ dataDir: env.dataDir, onWarning: (m) => logger.warn(m) });
  // openExchange registers the keys for redaction when it hands them to ccxt
  const credentials = env.mode === 'live' ? liveCredentials(env, o.secrets) : undefined;
  // BOT_API_PORT wins over the port saved in the settings
  const port = env.portFromEnv ? env.port : settings.get().api_port;
  let listening: number | null = null;
  // BOT_LIVE_* where set, else the limits saved in the desktop Settings; read once, at start
  const liveLimits = resolveLiveLimits(env.liveLimits, settings.get().live_limits);
  const notify = notifySettings(env, o.secrets, logger);
  for (const secret of notify.config ? notifySecrets(notify.config) : []) logger.addSecret(secret);
  // the runtime does not exist yet: the notifier reaches it only once it starts (after the API listens)
  let runtimeRef: BotRuntime | null = null;
  const notifier = createNotifier({
    events: { subscribe: (listener) => runtimeRef!.events.subscribe(listener) },
    status: () => runtimeRef!.bot.status(),
    call: (name, body) =>
      invokeOperation(runtimeRef!.handlers, name, body === undefined ? {} : { body }, { actor: 'telegram', scope: 'control' }),
    logger,
    telegramApiUrl: env.telegramApiUrl,
  });
  const runtime = await createBotRuntime({
    dataDir: env.dataDir,
    mode: env.mode,
    market: env.market,
    replaySpeed: env.replaySpeed,
    logger,
    credentials,
    liveLimits,
    exchange: { id: env.exchange, sandbox: env.exchangeSandbox, apiUrl: env.exchangeApiUrl },
    fleet: { vault: new FileTokenVault(env.dataDir, o.tokenCipher) },
    deskHandlers: (audit) =>
      createDeskHandlers(
        {
          dataDir: env.dataDir,
          host: env.host,
          auth,
          settings,
          logger,
          controlTokenFromEnv: env.controlToken !== undefined,
          readTokenFromEnv: env.readToken !== undefined,
          portFromEnv: env.portFromEnv ? env.port : null,
          listeningPort: () => listening,
          applyLaunchAtLogin: o.applyLaunchAtLogin,
          keys: { secrets: o.secrets ?? null, keyFile: env.exchangeKeyFile, exchange: env.exchange },
          liveLimits: { inForce: liveLimits, fromEnv: env.liveLimits },
        },
        audit,
        createNotifyHandlers(
          {
            notifier,
            source: notify.source,
            config: notify.config,
            apiAddress: () => (listening === null ? null : { host: env.host, port: listening }),
          },
          audit,
        ),
      ),
  });
  runtimeRef = runtime;
  let api: ApiServer;
  try {
    api = await createApiServer({
      handlers: runtime.handlers,
      answerVersions: runtime.answerVersions,
      jsonAnswers: runtime.jsonAnswers,
      events: runtime.events,
      fleetEvents: runtime.fleet.events,
      logger,
      controlToken,
      auth,
      host: env.host,
      port,
      allowRemote: env.allowRemote,
      staticDir: o.staticDir,
      extraMetrics: () => renderNotifyMetrics(notifier),
      // trading before monitoring: reads wait while the bot is between a close and its orders (docs/contract.md §3)
      orderPath: runtime.bot.orderPath,
    });
  } catch (e) {
    await runtime.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const from = env.portFromEnv ? 'BOT_API_PORT' : `the API port saved in Settings (${settings.file})`;
      throw new EnvError(`Port ${port} is in use by another program; change ${from}, or set BOT_API_PORT=0 for any free port.`);
    }
    throw e;
  }
  listening = api.port;
  const own = notify.config && ownApiWebhook(notify.config, { host: env.host, port: api.port });
  if (own && notify.source.kind === 'file') {
    await closeInOrder({ runtime, api });
    throw new EnvError(`BOT_NOTIFY_FILE=${notify.source.path} is refused: ${own.field} ${own.problem}.`);
  }
  if (own)
    logger.warn(
      `the stored notification settings have a webhook (${own.field}) that ${own.problem}; notifications are off until it is changed`,
    );
  else await notifier.reconfigure(notify.config);
  const out = o.out ?? ((line: string) => process.stdout.write(line + '\n'));
  for (const line of o.beforeReady?.(api) ?? []) out(line);
  out(`BotDesk API listening on ${api.url}`);
  logger.info(`data in ${env.dataDir}; control token in ${join(env.dataDir, 'api-token')}`);
  let closing: Promise<void> | null = null;
  return {
    runtime,
    api,
    settings,
    notifier,
    close: (onStep) =>
      (closing ??= (async () => {
        // a receiver that hangs must not hold up the exit: what is in flight is aborted, what waits is dropped
        await Promise.race([notifier.close(), new Promise((r) => setTimeout(r, 1000).unref())]);
        await closeInOrder({ runtime, api }, onStep);
      })()),
  };
}

/** BOT_NOTIFY_FILE when set (wins everywhere), else (desktop) the settings stored in the keychain, else none */
function notifySettings(
  env: AppEnv,
  secrets: SecretStore | undefined,
  logger: RestorableLogger,
): { source: NotifySource; config: NotifyConfig | null } {
  if (env.notifyFile) return { source: { kind: 'file', path: env.notifyFile }, config: readNotifyFile(env.notifyFile) };
  if (!secrets) return { source: { kind: 'none' }, config: null };
  const store = new NotifyStore(env.dataDir, secrets.cipher);
  try {
    return { source: { kind: 'settings', store }, config: store.load() };
  } catch (e) {
    // never a reason to stop trading: said once, and Settings can save them again
    logger.warn(`the notification settings cannot be read (${(e as Error).message}); notifications are off`);
    return { source: { kind: 'settings', store }, config: null };
  }
}

/** BOT_EXCHANGE_KEY_FILE when set, else (desktop) the keys stored in the keychain */
export function liveCredentials(env: AppEnv, secrets: SecretStore | undefined): ExchangeCredentials {
  if (env.exchangeKeyFile || !secrets) return readExchangeKeys(env.exchangeKeyFile);
  let stored: ReturnType<SecretStore['load']>;
  try {
    stored = secrets.load();
  } catch (e) {
    throw new EnvError(`The exchange keys stored in the keychain cannot be read: ${(e as Error).message}.`);
  }
  if (!stored)
    throw new EnvError('BOT_MODE=live needs exchange keys: save them in Settings (paper mode first), or set BOT_EXCHANGE_KEY_FILE.');
  if (stored.exchange !== env.exchange)
    throw new EnvError(
      `The stored exchange keys are for ${stored.exchange}, but BOT_EXCHANGE is ${env.exchange}; save keys for ${env.exchange} in Settings.`,
    );
  return { apiKey: stored.apiKey, secret: stored.secret };
}
