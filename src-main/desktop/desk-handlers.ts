import { createServer } from 'node:net';
import { ServiceError, type DeskOperationHandlers, type Settings, type SettingsPatch, type SettingsView } from '../../src-shared/contract';
import type { Logger } from '../engine/log/logger';
import type { TokenAuth } from '../server/token-auth';
import { generateToken, writeControlToken, writeReadToken } from '../server/token-store';
import { createExchangeKeyHandlers, type ExchangeKeySource } from './exchange-key-handlers';
import type { SettingsStore } from './settings-store';
import { liveLimitsFromEnvNames, type LiveLimits, type LiveLimitsFromEnv } from '../operations/live-limits';

export interface DeskDeps {
  dataDir: string;
  /** the address the API binds (the port probe binds the same one) */
  host: string;
  auth: TokenAuth;
  settings: SettingsStore;
  logger: Logger;
  controlTokenFromEnv: boolean;
  readTokenFromEnv: boolean;
  /** BOT_API_PORT when set: it overrides the settings' api_port */
  portFromEnv: number | null;
  /** the port the API listens on now, once it does */
  listeningPort(): number | null;
  /** desktop only: registers or removes the login item (throws when the OS refuses); headless just stores the wish */
  applyLaunchAtLogin?: (on: boolean) => void;
  keys: ExchangeKeySource;
  /** the live limits this process runs under, and the BOT_LIVE_* variables that were set */
  liveLimits: { inForce: LiveLimits; fromEnv: LiveLimitsFromEnv };
}

export type { Audit } from '../operations/audit';
import type { Audit } from '../operations/audit';
import { killPoint } from '../engine/kill-points';

/**
 * Tokens, settings and exchange keys: the operations about the app around the bot. Every change is checked whole
 * before anything is written, and written before it takes effect, so a refusal leaves nothing half-applied.
 */
export function createDeskHandlers(
  d: DeskDeps,
  audit: Audit,
  /** webhooks and Telegram (notify/notify-handlers.ts), composed by the app */
  notify: Pick<DeskOperationHandlers, 'getNotifications' | 'updateNotifications' | 'testNotifications'>,
): DeskOperationHandlers {
  const view = (): SettingsView => {
    const hasRead = d.auth.hasReadToken;
    return {
      settings: d.settings.get(),
      api: { listening_port: d.listeningPort(), port_from_env: d.portFromEnv },
      launch_at_login_applies: d.applyLaunchAtLogin ? 'here' : 'desktop_app',
      tokens: {
        control: { source: d.controlTokenFromEnv ? 'env' : 'file', rotatable: !d.controlTokenFromEnv },
        read: { configured: hasRead, source: hasRead ? (d.readTokenFromEnv ? 'env' : 'file') : null, editable: !d.readTokenFromEnv },
      },
      warning: d.settings.warning,
      live_limits: {
        in_force: {
          markets: d.liveLimits.inForce.markets,
          max_daily_loss_pct: d.liveLimits.inForce.maxDailyLossPct,
          max_order: d.liveLimits.inForce.maxOrder,
        },
        from_env: liveLimitsFromEnvNames(d.liveLimits.fromEnv),
      },
    };
  };

  const newToken = (chosen: string | undefined, mustDifferFrom: string | null): string => {
    const token = chosen ?? generateToken();
    if (mustDifferFrom !== null && token === mustDifferFrom)
      throw new ServiceError(400, 'Invalid request body: token.', { token: 'must differ from the other token' });
    return token;
  };

  return {
    rotateToken: (input, caller) => {
      if (d.controlTokenFromEnv) {
        throw new ServiceError(
          409,
          'The control token comes from BOT_API_TOKEN, so it cannot be rotated here: change BOT_API_TOKEN and restart the bot.',
        );
      }
      const token = newToken(input.body?.token, null);
      if (token === d.auth.currentControlToken || d.auth.verify(token)?.scope === 'read') {
        throw new ServiceError(400, 'Invalid request body: token.', { token: 'must differ from the tokens in use' });
      }
      d.logger.addSecret(token);
      // on disk first: if the write fails the old token stays in force, and the file never names a token that fails
      written(() => writeControlToken(d.dataDir, token), 'control token');
      killPoint('token-written');
      d.auth.replaceControl(token);
      audit('rotate_token', caller);
      return { success: true as const, token };
    },
    setReadToken: (input, caller) => {
      if (d.readTokenFromEnv)
        throw new ServiceError(
          409,
          'The read-only token comes from BOT_API_READ_TOKEN, so it cannot be changed here: change or unset that variable and restart.',
        );
      const token = newToken(input.body?.token, d.auth.currentControlToken);
      d.logger.addSecret(token);
      written(() => writeReadToken(d.dataDir, token), 'read-only token');
      const replaced = d.auth.hasReadToken;
      d.auth.replaceRead(token);
      audit(replaced ? 'replace_read_token' : 'create_read_token', caller);
      return { success: true as const, token };
    },
    removeReadToken: (_input, caller) => {
      if (d.readTokenFromEnv)
        throw new ServiceError(
          409,
          'The read-only token comes from BOT_API_READ_TOKEN, so it cannot be removed here: unset that variable and restart.',
        );
      const removed = d.auth.hasReadToken;
      written(() => writeReadToken(d.dataDir, null), 'read-only token');
      d.auth.replaceRead(null);
      if (removed) audit('remove_read_token', caller);
      return { success: true as const, removed };
    },
    getSettings: () => view(),
    updateSettings: async (input, caller) => {
      const patch: SettingsPatch = input.body;
      let loginItemChanged = false;
      try {
        await d.settings.update(patch, async (next, previous) => {
          if (patch.api_port !== undefined) await checkPort(next.api_port);
          if (d.applyLaunchAtLogin && next.launch_at_login !== previous.launch_at_login) {
            applyLoginItem(next.launch_at_login);
            loginItemChanged = true;
          }
        });
      } catch (e) {
        // the login item changed but the file could not be written: put the login item back
        if (loginItemChanged && d.applyLaunchAtLogin) applyLoginItem(d.settings.get().launch_at_login);
        if (e instanceof ServiceError) throw e;
        throw new ServiceError(
          409,
          `The settings could not be saved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was changed.`,
        );
      }
      audit('update_settings', caller, { fields: Object.keys(patch) });
      return { success: true as const, settings: view() };
    },
    // IPC only (no HTTP route): a control token trades inside the limits and cannot lift them
    updateLiveLimits: async (input, caller) => {
      try {
        await d.settings.update({ live_limits: input.body });
      } catch (e) {
        throw new ServiceError(
          409,
          `The live limits could not be saved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was changed.`,
        );
      }
      const saved = d.settings.get().live_limits;
      audit('update_live_limits', caller, { fields: Object.keys(input.body), ...saved });
      return { success: true as const, settings: view() };
    },
    ...createExchangeKeyHandlers(d.keys, d.logger, audit),
    ...notify,
  };

  /** a token file that cannot be written: nothing switches, and the sentence says which file */
  function written(write: () => void, what: string): void {
    try {
      write();
    } catch (e) {
      throw new ServiceError(
        409,
        `The ${what} file in ${d.dataDir} could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the current token stays in force.`,
      );
    }
  }

  function applyLoginItem(on: boolean): void {
    try {
      d.applyLaunchAtLogin?.(on);
    } catch (e) {
      throw new ServiceError(
        409,
        `The system refused to ${on ? 'add BotDesk to' : 'remove BotDesk from'} the login items (${(e as Error).message}); nothing was saved.`,
        { launch_at_login: 'refused by the system' },
      );
    }
  }

  /** a port another program holds would make the next start fail: refused now, naming api_port */
  async function checkPort(port: Settings['api_port']): Promise<void> {
    if (port === 0 || port === d.listeningPort()) return;
    const problem = await portProblem(d.host, port);
    if (problem) throw new ServiceError(400, 'Invalid settings: api_port.', { api_port: problem });
  }
}

/** null when `port` can be bound on `host` now, else why not */
export function portProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      resolve(
        e.code === 'EADDRINUSE'
          ? `port ${port} is in use by another program`
          : e.code === 'EACCES'
            ? `this user may not listen on port ${port}`
            : `port ${port} cannot be used (${e.code ?? e.message})`,
      );
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}
