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

export interface Services {
  runtime: BotRuntime;
  api: ApiServer;
  /** the app settings (the tray reads `notifications` through get() and onChange) */
  settings: SettingsStore;
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
      ),
  });
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
  const out = o.out ?? ((line: string) => process.stdout.write(line + '\n'));
  for (const line of o.beforeReady?.(api) ?? []) out(line);
  out(`BotDesk API listening on ${api.url}`);
  logger.info(`data in ${env.dataDir}; control token in ${join(env.dataDir, 'api-token')}`);
  let closing: Promise<void> | null = null;
  return {
    runtime,
    api,
    settings,
    close: (onStep) => (closing ??= closeInOrder({ runtime, api }, onStep)),
  };
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
