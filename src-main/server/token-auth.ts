import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenScope = 'read' | 'control';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Bearer-token check in constant time: both sides are hashed to a fixed length first, so the comparison depends
 * neither on where the first differing character is nor on the length of the guess (and timingSafeEqual, which
 * throws on unequal lengths, always gets equal ones).
 */
export class TokenAuth {
  private readonly control: Buffer;
  private readonly read: Buffer | null;

  constructor(controlToken: string, readToken?: string) {
    this.control = digest(controlToken);
    this.read = readToken ? digest(readToken) : null;
  }

  scopeOf(token: string | null): TokenScope | null {
    if (!token) return null;
    const d = digest(token);
    // both comparisons always run, so timing does not tell which token matched
    const isControl = timingSafeEqual(d, this.control);
    const isRead = this.read !== null && timingSafeEqual(d, this.read);
    return isControl ? 'control' : isRead ? 'read' : null;
  }
}

/** `Authorization: Bearer X` → X */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

/**
 * 429 after repeated failed authentications from one client: `maxFailures` inside `windowMs` locks that client out
 * of further attempts until the window has passed. A correct token still works (it cannot be guessed: 256 bits).
 */
export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** seconds to wait, or 0 when the client may try */
  retryAfter(client: string): number {
    const f = this.failures.get(client);
    if (!f) return 0;
    const elapsed = this.now() - f.since;
    if (elapsed >= this.windowMs) {
      this.failures.delete(client);
      return 0;
    }
    return f.count >= this.maxFailures ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }

  fail(client: string): void {
    const f = this.failures.get(client);
    if (!f || this.now() - f.since >= this.windowMs) this.failures.set(client, { count: 1, since: this.now() });
    else f.count++;
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }
}
