/**
 * The desktop's own surfaces around the bot: the tray icon and menu, desktop notifications, and the hint that the bot
 * keeps running in the tray when the window closes. Electron at the edges only — the rules are desktop/tray-model.ts,
 * desktop/tray-actions.ts and desktop/notification-rules.ts.
 */
import { clipboard, dialog, Notification } from 'electron';
import type { Logger } from '../engine/log/logger';
import { redactValue } from '../engine/log/redact';
import type { Services } from '../app/services';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOKEN_FILE } from '../server/token-store';
import { createTrayActions } from '../desktop/tray-actions';
import { createTrayPresenter, readTrayFacts } from '../desktop/tray-presenter';
import { firstTrayHint } from '../desktop/tray-hint';
import { startNotificationFeed } from '../desktop/notification-feed';
import {
  ALL_NOTIFICATIONS_ON,
  createNotificationRules,
  fleetAlertNotification,
  type DesktopNotification,
  type NotificationSwitches,
} from '../desktop/notification-rules';
import type { TrayView } from '../desktop/tray-model';
import { createDesktopTray } from './tray';

export interface DesktopShellOptions {
  services: Services;
  dataDir: string;
  /** BOT_API_TOKEN when set (then the token file is not the token) */
  envToken?: string;
  iconPath?: string;
  logger: Logger;
  showWindow(): void;
  quit(): void;
  /** the settings store's `notifications` switches; all on until it is wired */
  notificationSwitches?: () => NotificationSwitches;
  /** the Electron e2e test only (BOTDESK_E2E=1, never packaged): put a DesktopShellProbe on globalThis.botdeskProbe */
  exposeProbe?: boolean;
}

/** what the Electron e2e test reads through electronApp.evaluate: the tray as last drawn and the notifications shown */
export interface DesktopShellProbe {
  tray(): TrayView | null;
  notifications(): DesktopNotification[];
}

export function startDesktopShell(o: DesktopShellOptions): { windowClosed(): void; dispose(): void } {
  const { runtime } = o.services;
  const shown: DesktopNotification[] = [];
  let presenter: ReturnType<typeof createTrayPresenter> | null = null;

  const act = createTrayActions({
    handlers: runtime.handlers,
    confirm: async (c) =>
      (
        await dialog.showMessageBox({
          type: 'warning',
          buttons: [c.button, 'Cancel'],
          defaultId: 1,
          cancelId: 1,
          title: 'BotDesk',
          message: c.message,
          detail: c.detail,
        })
      ).response === 0,
    openDashboard: o.showWindow,
    // the token the server holds now (a rotation rewrote the file first); never a new one made up here
    readToken: () => o.envToken ?? readFileSync(join(o.dataDir, TOKEN_FILE), 'utf8').trim(),
    copyText: (text) => clipboard.writeText(text),
    quit: o.quit,
    onError: (message) => {
      o.logger.warn(message);
      notify({ kind: 'errors', title: 'BotDesk', body: message });
    },
    onDone: () => presenter?.refresh(),
  });

  const tray = createDesktopTray({ iconPath: o.iconPath, onClick: o.showWindow, onAction: (item) => void act(item) });
  presenter = createTrayPresenter({
    events: runtime.events,
    read: () => readTrayFacts(runtime.handlers),
    render: tray.render,
    onError: (m) => o.logger.warn(m),
  });

  // every notification passes here (events, fleet alerts, tray failures): the last place a secret could leave
  function notify(raw: DesktopNotification): void {
    const n = redactValue(raw);
    shown.push(n);
    if (shown.length > 100) shown.shift();
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: n.title, body: n.body, silent: n.kind === 'trades' });
    note.on('click', o.showWindow);
    note.show();
  }
  const switches = o.notificationSwitches ?? (() => ALL_NOTIFICATIONS_ON);
  const stopNotifications = startNotificationFeed({
    events: runtime.events,
    rules: createNotificationRules({ initialStatus: runtime.bot.status(), enabled: switches }),
    show: notify,
  });
  // the other bots of the fleet: a disconnect, a self-pause or an error names the bot
  const stopFleetAlerts = runtime.fleet.onAlert((alert) => {
    const n = fleetAlertNotification(alert, switches());
    if (n) notify(n);
  });

  if (o.exposeProbe) {
    const probe: DesktopShellProbe = { tray: () => presenter?.last ?? null, notifications: () => [...shown] };
    (globalThis as { botdeskProbe?: DesktopShellProbe }).botdeskProbe = probe;
  }

  return {
    windowClosed() {
      if (firstTrayHint(o.dataDir)) {
        tray.hint(
          'BotDesk is still running',
          'The bot keeps trading with the window closed. Open the dashboard or quit from the tray icon.',
        );
      }
    },
    dispose() {
      stopNotifications();
      stopFleetAlerts();
      presenter?.dispose();
      tray.destroy();
    },
  };
}
