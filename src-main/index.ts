/**
 * Desktop composition root: the bot and its API in Electron's main process, the dashboard in a hardened window
 * talking through the preload bridge, a tray icon. The same services as headless (app/services.ts):
 * readEnv → logger → control token → runtime → API server → ready line.
 */
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EnvError, readEnv } from './app/env';
import { startServices, type Services } from './app/services';
import { createShutdown } from './app/shutdown';
import { createLogger, formatLine } from './engine/log/logger';
import { registerIpcRouter } from './ipc/ipc-router';
import { APP_CSP, appPageUrl, createMainWindow, isAppPage } from './shell/main-window';
import { startDesktopShell } from './shell/desktop-shell';
import { ALL_NOTIFICATIONS_ON } from './desktop/notification-rules';
import { FileSecretStore } from './desktop/secret-store';
import { safeStorageCipher } from './shell/keychain';
import { applyLaunchAtLogin } from './shell/login-item';

const here = fileURLToPath(new URL('.', import.meta.url)); // out/main/
const indexHtml = join(here, '../renderer/index.html');
const preload = join(here, '../preload/index.cjs');
const trayIcon = [join(process.resourcesPath ?? '', 'resources', 'tray-icon.png'), join(here, '../../resources/tray-icon.png')].find(
  existsSync,
);
const own = appPageUrl(indexHtml);

let services: Services | null = null;
let starting: Promise<void> | null = null;
let win: BrowserWindow | null = null;
/** tray, notifications, the closed-window hint */
let desktop: ReturnType<typeof startDesktopShell> | null = null;
let quitting = false;

const showWindow = () => {
  if (!win || win.isDestroyed()) {
    win = createMainWindow({ preload, indexHtml });
    win.on('close', () => {
      if (!quitting) desktop?.windowClosed(); // the bot keeps running in the tray: said once
    });
  } else {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }
};

async function main(): Promise<void> {
  await app.whenReady();
  const env = readEnv(process.env, { dataDir: app.getPath('userData') });
  if (env.mode === 'live') {
    const answer = await dialog.showMessageBox({
      type: 'warning',
      buttons: ['Trade with real money', 'Quit'],
      defaultId: 1,
      cancelId: 1,
      title: 'BotDesk: live trading',
      message: 'BOT_MODE=live: BotDesk will place real orders with real money.',
      detail: `Exchange: ${env.exchange}. Start in paper mode instead by quitting and unsetting BOT_MODE.`,
    });
    if (answer.response !== 0) return app.exit(0);
  }
  const logger = createLogger({ sinks: [(r) => process.stderr.write(formatLine(r) + '\n')] });

  // nothing the dashboard does needs a browser permission; its pages carry a CSP even where the meta tag is missing
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } }),
  );

  // settings and keys: exchange keys in the OS keychain, launch at login through the OS (shell/keychain, shell/login-item)
  const keychain = safeStorageCipher();
  services = await startServices({
    env,
    logger,
    secrets: new FileSecretStore(env.dataDir, keychain),
    applyLaunchAtLogin,
    // the fleet's tokens for remote bots: encrypted where the keychain works, else a 0600 file as on a headless server
    tokenCipher: keychain.unavailable() === null ? keychain : undefined,
  });
  syncLaunchAtLogin(services, (m) => logger.warn(m));
  const { runtime } = services;
  registerIpcRouter({
    ipc: ipcMain,
    handlers: runtime.handlers,
    events: runtime.events,
    fleetEvents: runtime.fleet.events,
    // only the app's own top-level page: never a subframe, never anything navigated to
    isTrustedSender: (event) => !!event.senderFrame && event.senderFrame.parent === null && isAppPage(event.senderFrame.url, own),
    onError: (m) => logger.error(m),
  });

  desktop = startDesktopShell({
    services,
    dataDir: env.dataDir,
    envToken: env.controlToken,
    iconPath: trayIcon,
    logger,
    showWindow,
    quit: () => app.quit(),
    exposeProbe: e2e,
    // each kind switched in Settings, read at every event so a change applies at once
    notificationSwitches: () => services?.settings.get().notifications ?? ALL_NOTIFICATIONS_ON,
  });

  showWindow();
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
}

/** the login item follows the saved setting (a copied data directory, an OS that forgot it) */
function syncLaunchAtLogin(s: Services, warn: (m: string) => void): void {
  try {
    applyLaunchAtLogin(s.settings.get().launch_at_login);
  } catch (e) {
    warn(`launch at login could not be applied: ${(e as Error).message}`);
  }
}

// a debugging port would let any local process run code in the app (docs/security.md N10); the one exception is the
// Electron end-to-end test (Playwright drives the app through these ports), and never in a packaged app
const e2e = process.env.BOTDESK_E2E === '1' && !app.isPackaged;
const debugging =
  !e2e &&
  (app.commandLine.hasSwitch('remote-debugging-port') || app.commandLine.hasSwitch('inspect') || app.commandLine.hasSwitch('inspect-brk'));
if (debugging) {
  process.stderr.write('BotDesk: refusing to run with a debugging port open.\n');
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  // the first instance shows its window (second-instance); this one leaves without touching the data directory
  app.exit(0);
} else {
  app.enableSandbox();

  // keep running in the tray when the window closes; quit only on request
  app.on('window-all-closed', () => undefined);

  // quit, tray Quit, SIGINT/SIGTERM: stop the loop, close the API, flush the database, then exit (app/shutdown.ts)
  const shutdown = createShutdown({
    services: async () => {
      await starting?.catch(() => undefined);
      return services;
    },
    exit: (code) => app.exit(code),
    warn: (m) => process.stderr.write(`BotDesk: ${m}\n`),
  });
  app.on('before-quit', (event) => {
    event.preventDefault(); // every time until shutdown exits: app.exit() does not come back here
    if (!quitting) desktop?.dispose();
    quitting = true;
    void shutdown();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  // every webContents: no webviews, no navigation away from the app's page, no popups
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('will-navigate', (e, url) => {
      if (!isAppPage(url, own)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isAppPage(url, own)) e.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  starting = main().catch((e: Error) => {
    process.stderr.write(`BotDesk: ${e.message}\n`);
    dialog.showErrorBox('BotDesk could not start', e instanceof EnvError ? e.message : `${e.message}\n\nThe details are in the log.`);
    app.exit(1);
  });
}
