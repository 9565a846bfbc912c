/**
 * `BOT_NOTIFY_FILE` (docs/contract.md §10): the headless server's notification settings, holding the Telegram token
 * and webhook secrets, so readable by its owner only (mode 0600) like the exchange key file. Anything wrong is one
 * line at start naming the file and the field, and never quoting a value.
 */
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { NotifyConfigSchema, type NotifyConfig } from '../../src-shared/contract';
import { EnvError } from '../operations/env-error';
import { pointsAtOwnApi } from './webhook-sink';

/** `webhooks[1].url: must be an http:// or https:// URL…` for the first problem (and how many more there are) */
export function firstIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  // zod's own words for an unknown key name the key, never a value
  return `${path || 'the file'}: ${issue.message}${more}`;
}

export function readNotifyFile(path: string): NotifyConfig {
  const name = `BOT_NOTIFY_FILE=${path}`;
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (e) {
    throw new EnvError(`${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new EnvError(
      `${name} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); it holds the Telegram token and webhook secrets: run "chmod 600 ${path}" first.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new EnvError(`${name} is not JSON; see README "Notifications" for its shape.`);
  }
  const parsed = NotifyConfigSchema.safeParse(json);
  if (!parsed.success) throw new EnvError(`${name} is refused: ${firstIssue(parsed.error)}.`);
  return parsed.data;
}

/** the first webhook that points at the bot's own API, as a field problem, or null */
export function ownApiWebhook(config: NotifyConfig, api: { host: string; port: number }): { field: string; problem: string } | null {
  const i = (config.webhooks ?? []).findIndex((w) => pointsAtOwnApi(w.url, api));
  return i < 0 ? null : { field: `webhooks[${i}].url`, problem: `points at this bot's own API (port ${api.port})` };
}
