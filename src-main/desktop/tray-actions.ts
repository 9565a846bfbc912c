/**
 * What each tray menu item does. Bot actions go through the same operations as the API and the dashboard (audited
 * with actor "tray"); the desktop-only ones (window, clipboard, quit, the confirmation dialog) are passed in by the
 * Electron boundary, so every path is exercised under Node.
 */
import type { OperationHandlers, OperationName } from '../../src-shared/contract';
import { invokeOperation } from '../operations/invoke-operation';
import type { TrayActionId, TrayConfirmation, TrayMenuItem } from './tray-model';

const BOT_OPERATIONS = {
  start: 'startBot',
  stop: 'stopBot',
  pause: 'pauseBot',
  resume: 'resumeBot',
  close_all: 'closeAll',
} as const satisfies Partial<Record<TrayActionId, OperationName>>;

export interface TrayActionDeps {
  handlers: OperationHandlers;
  /** true when the person confirmed (Electron: a message box) */
  confirm(c: TrayConfirmation): Promise<boolean>;
  openDashboard(): void;
  /** the control token as it is now (rotation rewrites the file); goes to the clipboard only, never to a log */
  readToken(): string;
  copyText(text: string): void;
  quit(): void;
  /** a bot action refused or failed: one sentence for the log and a notice */
  onError(message: string): void;
  /** a bot action finished: the tray should show the new state */
  onDone(): void;
}

export type TrayActionItem = Extract<TrayMenuItem, { kind: 'action' }>;

export function createTrayActions(d: TrayActionDeps): (item: TrayActionItem) => Promise<void> {
  return async (item) => {
    if (!item.enabled) return;
    if (item.confirm && !(await d.confirm(item.confirm))) return;
    switch (item.id) {
      case 'open_dashboard':
        return d.openDashboard();
      case 'copy_token':
        return d.copyText(d.readToken());
      case 'quit':
        return d.quit();
      default: {
        const operation = BOT_OPERATIONS[item.id];
        try {
          await invokeOperation(d.handlers, operation, {}, { actor: 'tray' });
        } catch (e) {
          d.onError(`${item.label.replace(/…$/, '')} failed: ${(e as Error).message}`);
        } finally {
          d.onDone();
        }
      }
    }
  };
}
