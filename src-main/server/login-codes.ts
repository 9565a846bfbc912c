import { randomBytes } from 'node:crypto';

/**
 * One-time login codes for the dashboard link the server prints (`/#login=CODE`): each works once, within its
 * lifetime, and is exchanged for the token over POST /api/v1/session, so the token itself never sits in a URL.
 */
export class LoginCodes {
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly lifetimeMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const code = randomBytes(18).toString('base64url');
    this.codes.set(code, this.now() + this.lifetimeMs);
    return code;
  }

  /** true once per valid code */
  redeem(code: string): boolean {
    const expires = this.codes.get(code);
    if (expires === undefined) return false;
    this.codes.delete(code);
    return expires > this.now();
  }
}
