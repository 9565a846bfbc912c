import { z } from 'zod';
import { ApiError } from '../../../src-shared/api-client/api-error';
import { API_PREFIX } from '../../../src-shared/api-client/request-url';

const TOKEN_KEY = 'botdesk.token';
const SessionSchema = z.object({ token: z.string().min(1), scope: z.string() });

/** The token lives in sessionStorage only: closing the tab forgets it. */
export const sessionToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** `#login=CODE` from the link the server prints; the fragment is removed at once so it never lingers in history. */
export function takeLoginCode(): string | null {
  const match = /^#login=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1];
}

/** One-time code → session token (POST /api/v1/session). */
export async function exchangeLoginCode(origin: string, code: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${origin}${API_PREFIX}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'The bot cannot be reached; is the server running?');
  }
  const payload: unknown = await res.json().catch(() => null);
  if (!res.ok) throw ApiError.fromBody(res.status, payload);
  const parsed = SessionSchema.safeParse(payload);
  if (!parsed.success) throw new ApiError(res.status, 'The server answered the login with something unexpected.');
  return parsed.data.token;
}

/** Checks a token typed into the login screen before keeping it. */
export async function verifyToken(origin: string, token: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${origin}${API_PREFIX}/bot/status`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'The bot cannot be reached; is the server running?');
  }
  if (!res.ok) throw ApiError.fromBody(res.status, await res.json().catch(() => null));
}
