import { join } from 'node:path';
import type { RestorableLogger } from '../engine/log/logger';
import { createApiServer, type ApiServer } from '../server/api-server';
import { loadOrCreateControlToken } from '../server/token-store';
import type { AppEnv } from './env';
import { createBotRuntime, type BotRuntime } from './runtime';
import { readExchangeKeys } from './exchange-keys';

export interface Services {
  runtime: BotRuntime;
  api: ApiServer;
  /** stop the loop, close the API (WebSocket clients get 1001), flush the database */
  close(): Promise<void>;
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
}): Promise<Services> {
  const { env, logger } = o;
  const controlToken = loadOrCreateControlToken({ dataDir: env.dataDir, envToken: env.controlToken });
  logger.addSecret(controlToken);
  if (env.readToken) logger.addSecret(env.readToken);
  const credentials = env.mode === 'live' ? readExchangeKeys(env.exchangeKeyFile) : undefined;
  if (credentials) {
    logger.addSecret(credentials.apiKey);
    logger.addSecret(credentials.secret);
  }
  const runtime = await createBotRuntime({
    dataDir: env.dataDir, mode: env.mode, market: env.market, replaySpeed: env.replaySpeed, logger, credentials,
    exchange: { id: env.exchange, sandbox: env.exchangeSandbox, apiUrl: env.exchangeApiUrl },
  });
  let api: ApiServer;
  try {
    api = await createApiServer({
      handlers: runtime.handlers, answerVersions: runtime.answerVersions, events: runtime.events, fleetEvents: runtime.fleet.events, logger, controlToken, readToken: env.readToken,
      host: env.host, port: env.port, allowRemote: env.allowRemote, staticDir: o.staticDir,
    });
  } catch (e) {
    await runtime.close();
    throw e;
  }
  const out = o.out ?? ((line: string) => process.stdout.write(line + '\n'));
  for (const line of o.beforeReady?.(api) ?? []) out(line);
  out(`BotDesk API listening on ${api.url}`);
  logger.info(`data in ${env.dataDir}; control token in ${join(env.dataDir, 'api-token')}`);
  let closing: Promise<void> | null = null;
  return {
    runtime,
    api,
    close: () => (closing ??= (async () => {
      await api.close();
      await runtime.close();
    })()),
  };
}
