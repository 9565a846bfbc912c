import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpgradeVerdict } from './event-stream';
import { sendError } from './http-responses';
import { bearerToken, FailureLimiter, type TokenAuth, type TokenScope } from './token-auth';

/**
 * Who a request is: its bearer token's scope, answering 401 for a missing or wrong token and 429 while its client is
 * locked out after failed attempts (HTTP requests, login links and stream upgrades share the one limiter).
 */
export class RequestAuthenticator {
  /**
   * The verdict for the Authorization header last verified on each keep-alive connection: a client repeating the
   * same header skips the hash. Comparing a header with the same connection's previous one reveals nothing about
   * the real token, so this keeps the constant-time guarantee. A verdict from before a token was replaced is not reused.
   */
  private readonly verifiedOnSocket = new WeakMap<object, { header: string; scope: TokenScope; generation: number }>();
  private readonly limiter: FailureLimiter;

  constructor(
    private readonly auth: TokenAuth,
    failures: { max: number; windowMs: number } | undefined,
    /** counts each refusal by route and status */
    private readonly count: (route: string, status: number) => void,
  ) {
    this.limiter = new FailureLimiter(failures?.max, failures?.windowMs);
  }

  /** the scope last verified on this connection (read parking leaves read-only connections unread) */
  scopeOn(socket: object): TokenScope | undefined {
    return this.verifiedOnSocket.get(socket)?.scope;
  }

  /** while a client is locked out after failed authentications: the wait and why */
  lockout(req: IncomingMessage): { wait: number; message: string } | null {
    const wait = this.limiter.retryAfter(clientOf(req));
    return wait > 0 ? { wait, message: `Too many failed authentication attempts; try again in ${wait} s.` } : null;
  }

  sendLockout(res: ServerResponse, l: { wait: number; message: string }): void {
    sendError(res, 429, l.message, { 'Retry-After': String(l.wait) });
  }

  /** one more failed attempt by this request's client (a wrong token, a used login code) */
  failed(req: IncomingMessage): void {
    this.limiter.fail(clientOf(req));
  }

  /** token → scope, or an answer already sent (401/429) */
  authenticate(req: IncomingMessage, res: ServerResponse, route: string): TokenScope | null {
    const header = req.headers.authorization;
    const known = this.verifiedOnSocket.get(req.socket);
    if (known && header === known.header && known.generation === this.auth.generation) return known.scope;
    const scope = this.auth.scopeOf(bearerToken(header));
    if (scope) {
      this.verifiedOnSocket.set(req.socket, { header: header as string, scope, generation: this.auth.generation });
      return scope;
    }
    const locked = this.lockout(req);
    if (locked) {
      this.count(route, 429);
      this.sendLockout(res, locked);
      return null;
    }
    this.failed(req);
    this.count(route, 401);
    const missing = !req.headers.authorization;
    sendError(res, 401, missing ? 'Authentication required: send Authorization: Bearer <token>.' : 'The token is not valid.', {
      'WWW-Authenticate': 'Bearer',
    });
    return null;
  }

  /** the verdict on an event-stream upgrade carrying `token` (header or subprotocol) */
  authorizeStream(req: IncomingMessage, token: string | null): UpgradeVerdict {
    const credential = this.auth.verify(token);
    if (credential) return { ok: true, scope: credential.scope, credentialId: credential.id };
    const locked = this.lockout(req);
    if (locked) return { ok: false, status: 429, message: locked.message };
    this.failed(req);
    return {
      ok: false,
      status: 401,
      message: token
        ? 'The token is not valid.'
        : 'Authentication required: send Authorization: Bearer <token> or the subprotocols ["bearer", token].',
    };
  }
}

const clientOf = (req: IncomingMessage) => req.socket.remoteAddress ?? '?';
