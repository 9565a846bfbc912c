import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenScope = 'read' | 'control';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Which token a request or stream connection authenticated with: `id` changes whenever that token is replaced. */
export interface Credential {
  scope: TokenScope;
  id: number;
}

interface Held {
  digest: Buffer;
  id: number;
}

/**
 * Bearer-token check in constant time: both sides are hashed to a fixed length first, so the comparison depends
 * neither on where the first differing character is nor on the length of the guess (and timingSafeEqual, which
 * throws on unequal lengths, always gets equal ones).
 * The tokens can be replaced while the server runs (rotation, a new read-only token): the old one fails at once and
 * listeners hear which credential was revoked, so connections opened with it can be closed.
 */
export class TokenAuth {
  private control: Held;
  private controlToken: string;
  private read: Held | null;
  private nextId = 1;
  private changes = 0;
  private readonly revokeListeners = new Set<(credentialId: number) => void>();

  constructor(controlToken: string, readToken?: string) {
    this.controlToken = controlToken;
    this.control = this.hold(controlToken);
    this.read = readToken ? this.hold(readToken) : null;
  }

  /** moves whenever a token is replaced or removed: verdicts cached before are stale */
  get generation(): number {
    return this.changes;
  }

  /** the control token in force (handed to a dashboard that redeemed a one-time login link) */
  get currentControlToken(): string {
    return this.controlToken;
  }

  get hasReadToken(): boolean {
    return this.read !== null;
  }

  verify(token: string | null): Credential | null {
    if (!token) return null;
    const d = digest(token);
    // both comparisons always run, so timing does not tell which token matched
    const isControl = timingSafeEqual(d, this.control.digest);
    const isRead = this.read !== null && timingSafeEqual(d, this.read.digest);
    if (isControl) return { scope: 'control', id: this.control.id };
    return isRead && this.read ? { scope: 'read', id: this.read.id } : null;
  }

  isCurrent(credentialId: number): boolean {
    return credentialId === this.control.id || credentialId === this.read?.id;
  }

  scopeOf(token: string | null): TokenScope | null {
    return this.verify(token)?.scope ?? null;
  }

  /** the old control token stops working before this returns */
  replaceControl(token: string): void {
    const old = this.control;
    this.control = this.hold(token);
    this.controlToken = token;
    this.revoked(old.id);
  }

  /** a new read-only token, or none (null) */
  replaceRead(token: string | null): void {
    const old = this.read;
    this.read = token ? this.hold(token) : null;
    if (old) this.revoked(old.id);
    else this.changes++;
  }

  /** called with the id of each credential that stops working; returns an unsubscribe function */
  onRevoke(listener: (credentialId: number) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  private hold(token: string): Held {
    return { digest: digest(token), id: this.nextId++ };
  }

  private revoked(id: number): void {
    this.changes++;
    for (const l of [...this.revokeListeners]) l(id);
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
