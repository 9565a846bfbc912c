/**
 * Headless composition root (`npm run serve`): the bot and the management API under plain Node, the dashboard
 * served as a web page. Must never import electron, even transitively.
 */
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, formatLine } from './engine/log/logger';
import { readEnv, EnvError } from './app/env';
import { startServices } from './app/services';
import { createShutdown } from './app/shutdown';

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
  const staticDir = dashboardDir();
  const services = await startServices({
    env,
    logger,
    staticDir,
    beforeReady: (api) => [
      staticDir
        ? `Dashboard (one-time login link, valid 15 minutes): ${api.loginUrl}`
        : 'Dashboard not built: run "npm run build" to serve it here.',
    ],
  });

  const shutdown = createShutdown({ services: async () => services, exit: (code) => process.exit(code), warn: (m) => logger.warn(m) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      logger.info(`${signal}: stopping`);
      void shutdown();
    });
  }
}

main().catch((e) => {
  process.stderr.write(`BotDesk: ${e instanceof EnvError ? e.message : (e as Error).message}\n`);
  process.exit(e instanceof EnvError ? 2 : 1);
});
