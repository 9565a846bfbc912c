/**
 * One redaction for everything that leaves the process as text: log records, events (and so the replay buffer, the
 * WebSocket stream, notifications and fleet alerts), API answers built from exchange errors. The secrets are
 * process-wide on purpose: a key is secret for every part of the app, and a path that was never handed a registry
 * must not be the one that leaks it.
 */

export const REDACTED = '[REDACTED]';

/** each secret with its JSON-escaped form, so serialised text can be checked without parsing it */
const secrets = new Map<string, string>();

/** From now on `secret` never appears in a log line, event, notification or exchange error line. */
export function addSecret(secret: string): void {
  if (secret && !secrets.has(secret)) secrets.set(secret, JSON.stringify(secret).slice(1, -1));
}

// a URL in any case of scheme (HTTPS://, Http://); its user info and query can carry keys (some exchanges sign that way)
const URL_PARTS = /\b((?:https?|wss?):\/\/)([^\s/?#@"']+@)?([^\s?#"']*)([?#][^\s"']*)?/gi;
const URL_WITH_SECRETS = /\b(?:https?|wss?):\/\/(?:[^\s/?#@"']+@|[^\s?#"']*[?#])/i;
const ANY_URL = /\b(?:https?|wss?):\/\/\S+/gi;

/** `text` with every registered secret and every URL's user info and query replaced */
export function redact(text: string): string {
  for (const secret of secrets.keys()) if (text.includes(secret)) text = text.split(secret).join(REDACTED);
  return text.replace(URL_PARTS, (url, scheme: string, user?: string, rest = '', query?: string) =>
    user || query ? `${scheme}${user ? `${REDACTED}@` : ''}${rest}${query ? `?${REDACTED}` : ''}` : url,
  );
}

/** a copy of `v` with `redact` applied to every string in it */
export function redactValue<T>(v: T, depth = 0): T {
  if (typeof v === 'string') return redact(v) as T;
  if (v === null || typeof v !== 'object' || depth > 6) return v;
  if (Array.isArray(v)) return v.map((x) => redactValue(x, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = redactValue(x, depth + 1);
  return out as T;
}

/** whether serialised text holds anything `redact` would change: the cheap check before a deep copy */
export function needsRedaction(json: string): boolean {
  for (const escaped of secrets.values()) if (json.includes(escaped)) return true;
  return URL_WITH_SECRETS.test(json);
}

/**
 * An error as one line: its class and the exchange's own words, never a stack and never a request URL (some
 * exchanges carry the API key in the query string), secrets redacted. For logs, pause reasons, events and answers.
 */
export function errorLine(e: unknown): string {
  const err = e as Error;
  const text = redact(String(err?.message ?? e).replace(ANY_URL, '<url>'))
    .replace(/\s+/g, ' ')
    .trim();
  return `${err?.name ?? 'Error'}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
