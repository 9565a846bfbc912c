import { isLoopbackHost } from '../../src-shared/loopback';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { MarketSpec } from './runtime';
import { parseLiveLimitsEnv, type LiveLimitsFromEnv } from '../operations/live-limits';

/** A bad environment variable: printed as one line, and the process exits without starting anything. */
import { EnvError } from '../operations/env-error';

export { EnvError };

export interface AppEnv {
  dataDir: string;
  host: string;
  port: number;
  /** BOT_API_PORT was set (it then overrides the settings' api_port) */
  portFromEnv: boolean;
  allowRemote: boolean;
  controlToken?: string;
  readToken?: string;
  mode: 'paper' | 'live';
  liveConfirmed: boolean;
  market?: MarketSpec;
  replaySpeed: number | 'max';
  exchange: string;
  exchangeSandbox: boolean;
  exchangeApiUrl?: string;
  exchangeKeyFile?: string;
  /** BOT_LIVE_MARKETS, BOT_LIVE_MAX_DAILY_LOSS_PCT, BOT_LIVE_MAX_ORDER: only those set (they win over Settings) */
  liveLimits: LiveLimitsFromEnv;
  /** BOT_NOTIFY_FILE: webhooks and Telegram (docs/contract.md §10); wins over the desktop's Settings */
  notifyFile?: string;
  /** BOT_TELEGRAM_API_URL: the Telegram Bot API origin (a local stand-in in tests) */
  telegramApiUrl?: string;
}

export { isLoopbackHost };

/** `$XDG_CONFIG_HOME` (when absolute) or `~/.config`: where the headless data directory and the terminal client's
 * profiles live by default. */
export const userConfigDir = (env: NodeJS.ProcessEnv): string =>
  env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');

/** The headless data directory (database, `api-token`): BOT_DATA_DIR, else `<user config dir>/botdesk`. Shared with
 * the terminal client so both look for the token in the same place. */
export const defaultDataDir = (env: NodeJS.ProcessEnv): string =>
  env.BOT_DATA_DIR ? resolve(env.BOT_DATA_DIR) : join(userConfigDir(env), 'botdesk');

/** Contract §2, parsed once for headless and desktop alike. */
export function readEnv(env: NodeJS.ProcessEnv, defaults: { dataDir?: string } = {}): AppEnv {
  const dataDir = env.BOT_DATA_DIR ? resolve(env.BOT_DATA_DIR) : (defaults.dataDir ?? join(userConfigDir(env), 'botdesk'));

  const host = env.BOT_API_HOST?.trim() || '127.0.0.1';
  const allowRemote = env.BOT_API_ALLOW_REMOTE === '1';
  if (!isLoopbackHost(host) && !allowRemote) {
    throw new EnvError(
      `BOT_API_HOST=${host} is not a loopback address; refusing to expose the bot's API. Set BOT_API_ALLOW_REMOTE=1 if you really mean it (prefer an SSH tunnel).`,
    );
  }

  const portText = env.BOT_API_PORT?.trim() || '8080';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    throw new EnvError(`BOT_API_PORT=${portText} is not a port number (0–65535; 0 picks a free port).`);

  const mode = env.BOT_MODE?.trim() || 'paper';
  if (mode !== 'paper' && mode !== 'live') throw new EnvError(`BOT_MODE=${mode} is not a mode; use paper or live.`);

  let market: MarketSpec | undefined;
  const m = env.BOT_MARKET?.trim();
  if (m) {
    if (m === 'synthetic') market = { kind: 'synthetic', seed: Number(env.BOT_SYNTHETIC_SEED ?? 42) || 42 };
    else if (m === 'live') market = { kind: 'live' };
    else if (m.startsWith('replay:') && m.length > 7) market = { kind: 'replay', path: resolve(m.slice(7)) };
    else throw new EnvError(`BOT_MARKET=${m} is not a market; use synthetic, replay:PATH or live.`);
  }

  const speedText = env.BOT_REPLAY_SPEED?.trim() || '1';
  const speed = speedText === 'max' ? 'max' : Number(speedText);
  if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0 && speed <= 100_000)) {
    throw new EnvError(`BOT_REPLAY_SPEED=${speedText} is not a speed; use candles per second (e.g. 1, 20) or max.`);
  }

  const token = env.BOT_API_TOKEN?.trim();
  if (token !== undefined && token !== '' && token.length < 16)
    throw new EnvError('BOT_API_TOKEN is too short; use at least 16 characters (32 random bytes recommended).');
  const readToken = env.BOT_API_READ_TOKEN?.trim();
  if (readToken !== undefined && readToken !== '' && readToken.length < 16)
    throw new EnvError('BOT_API_READ_TOKEN is too short; use at least 16 characters.');
  if (token && readToken && token === readToken) throw new EnvError('BOT_API_READ_TOKEN must differ from BOT_API_TOKEN.');
  const liveLimits = parseLiveLimitsEnv(env, (m) => new EnvError(m));
  const telegramApiUrl = env.BOT_TELEGRAM_API_URL?.trim() || undefined;
  if (telegramApiUrl && !/^https?:\/\/[^/?#@\s]+\/?$/i.test(telegramApiUrl))
    throw new EnvError('BOT_TELEGRAM_API_URL must be an origin such as https://api.telegram.org (http or https, no path).');

  return {
    dataDir,
    host,
    port: Number(portText),
    portFromEnv: !!env.BOT_API_PORT?.trim(),
    allowRemote,
    controlToken: token || undefined,
    readToken: readToken || undefined,
    mode,
    liveConfirmed: env.BOT_LIVE_CONFIRM === 'yes',
    market,
    replaySpeed: speed,
    exchange: env.BOT_EXCHANGE?.trim() || 'binance',
    exchangeSandbox: env.BOT_EXCHANGE_SANDBOX === '1',
    exchangeApiUrl: env.BOT_EXCHANGE_API_URL?.trim() || undefined,
    exchangeKeyFile: env.BOT_EXCHANGE_KEY_FILE?.trim() || undefined,
    liveLimits,
    notifyFile: env.BOT_NOTIFY_FILE?.trim() ? resolve(env.BOT_NOTIFY_FILE.trim()) : undefined,
    telegramApiUrl,
  };
}
