/**
 * Headless composition root (`npm run serve`): the bot and the management API under plain Node, the dashboard
 * served as a web page. Must never import electron, even transitively.
 */
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, formatLine } from './engine/log/logger';
import { readEnv, EnvError } from './app/env';
import { createBotRuntime } from './app/runtime';
import { createApiServer } from './server/api-server';
import { loadOrCreateControlToken } from './server/token-store';

function dashboardDir(): string | undefined {
  const candidates = [
    fileURLToPath(new URL('../renderer', import.meta.url)), // built: out/main/headless.js → out/renderer
    join(process.cwd(), 'out', 'renderer'),
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

async function main(): Promise<void> {
  const env = readEnv(process.env);
  if (env.mode === 'live' && !env.liveConfirmed) {
    throw new EnvError('BOT_MODE=live places real orders with real money; set BOT_LIVE_CONFIRM=yes to confirm.');
  }
  const logger = createLogger({ sinks: [(r) => process.stderr.write(formatLine(r) + '\n')] });
  const controlToken = loadOrCreateControlToken({ dataDir: env.dataDir, envToken: env.controlToken });
  logger.addSecret(controlToken);
  if (env.readToken) logger.addSecret(env.readToken);

  const runtime = await createBotRuntime({ dataDir: env.dataDir, mode: env.mode, market: env.market, replaySpeed: env.replaySpeed, logger });
  const staticDir = dashboardDir();
  const server = await createApiServer({
    handlers: runtime.handlers, events: runtime.events, logger, controlToken, readToken: env.readToken,
    host: env.host, port: env.port, allowRemote: env.allowRemote, staticDir,
  });
  process.stdout.write(`BotDesk API listening on ${server.url}\n`);
  if (staticDir) process.stdout.write(`Dashboard (one-time login link, valid 15 minutes): ${server.loginUrl}\n`);
  else process.stdout.write('Dashboard not built: run "npm run build" to serve it here.\n');
  logger.info(`data in ${env.dataDir}; control token in ${join(env.dataDir, 'api-token')}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await server.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`BotDesk: ${e instanceof EnvError ? e.message : (e as Error).message}\n`);
  process.exit(e instanceof EnvError ? 2 : 1);
});
