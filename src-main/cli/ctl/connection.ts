/**
 * Where the bot is and which token to show it: flags, then a named profile, then the environment, then the defaults
 * the server itself uses. The token is only ever read from a file, never from the command line.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { defaultDataDir, userConfigDir } from '../../app/env';
import { UsageError } from './errors';

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const TOKEN_FILE_NAME = 'api-token';

export interface ConnectionFlags {
  url?: string;
  tokenFile?: string;
  profile?: string;
}

export interface Connection {
  /** the server's origin, e.g. http://127.0.0.1:8080 */
  url: string;
  tokenFile: string;
}

interface Profile {
  url?: string;
  token_file?: string;
}

export const profilesFile = (env: NodeJS.ProcessEnv): string => join(userConfigDir(env), 'botdesk', 'cli-profiles.json');

const expandHome = (path: string, base: string): string => {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(base, path);
};

/** `{"default": "prod", "profiles": {"prod": {"url": "…", "token_file": "…"}}}` */
function readProfile(env: NodeJS.ProcessEnv, name: string | undefined): Profile | null {
  const file = profilesFile(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    if (name) throw new UsageError(`profile "${name}" asked for, but there is no profile file at ${file}`, false);
    return null;
  }
  let doc: { default?: unknown; profiles?: Record<string, Profile> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new UsageError(`${file} is not valid JSON`, false);
  }
  const profiles = doc.profiles && typeof doc.profiles === 'object' ? doc.profiles : {};
  const chosen = name ?? (typeof doc.default === 'string' ? doc.default : undefined);
  if (!chosen) return null;
  const profile = Object.hasOwn(profiles, chosen) ? profiles[chosen] : undefined;
  if (!profile || typeof profile !== 'object') {
    const known = Object.keys(profiles);
    throw new UsageError(`no profile "${chosen}" in ${file}${known.length ? ` (it has ${known.join(', ')})` : ''}`, false);
  }
  for (const key of ['url', 'token_file'] as const) {
    if (profile[key] !== undefined && typeof profile[key] !== 'string')
      throw new UsageError(`profile "${chosen}" in ${file}: ${key} must be a string`, false);
  }
  return { url: profile.url, token_file: profile.token_file && expandHome(profile.token_file, dirname(file)) };
}

/** Only the origin counts; a trailing `/` or `/api/v1` is forgiven, anything else is a mistake worth saying. */
export function normaliseUrl(raw: string, source: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${source} is not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${source} must start with http:// or https:// (got ${raw})`);
  const path = u.pathname.replace(/\/+$/, '');
  if (path !== '' && path !== '/api/v1')
    throw new UsageError(`${source} must be the server's address without a path, e.g. ${DEFAULT_URL} (got ${raw})`);
  return u.origin;
}

/**
 * Flags first; then a profile named by --profile or BOT_PROFILE; then BOT_API_URL / BOT_API_TOKEN_FILE; then the
 * profile file's `default` profile; then the server's own defaults. A profile asked for by name beats the ambient
 * environment, a default one does not.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Connection {
  const named = flags.profile ?? (env.BOT_PROFILE?.trim() || undefined);
  const profile = readProfile(env, named);
  const [chosen, fallback] = named ? [profile, null] : [null, profile];
  const envUrl = env.BOT_API_URL?.trim();
  const envTokenFile = env.BOT_API_TOKEN_FILE?.trim();
  const [rawUrl, urlSource] =
    flags.url !== undefined
      ? [flags.url, '--url']
      : chosen?.url
        ? [chosen.url, "the profile's url"]
        : envUrl
          ? [envUrl, 'BOT_API_URL']
          : fallback?.url
            ? [fallback.url, "the default profile's url"]
            : [DEFAULT_URL, 'the default URL'];
  const tokenFile =
    flags.tokenFile !== undefined
      ? resolve(flags.tokenFile)
      : (chosen?.token_file ??
        (envTokenFile ? resolve(envTokenFile) : (fallback?.token_file ?? join(defaultDataDir(env), TOKEN_FILE_NAME))));
  return { url: normaliseUrl(rawUrl, urlSource), tokenFile };
}

/** Reads the token; a file others may read still works, with one warning (the server tightens its own file). */
export function readToken(file: string, warn: (line: string) => void): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new UsageError(
      `the token file ${file} ${why}; point --token-file or BOT_API_TOKEN_FILE at the server's api-token (it is created in the server's data directory on its first start)`,
      false,
    );
  }
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077)
      warn(`botdesk: warning: ${file} can be read by other users (mode ${mode.toString(8).padStart(3, '0')}); run chmod 600 ${file}`);
  }
  const token = text.trim();
  if (!token || /\s/.test(token)) throw new UsageError(`the token file ${file} does not hold a token (one line, no spaces)`, false);
  return token;
}
