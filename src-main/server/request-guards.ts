import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

/**
 * Host and Origin checks (contract §6). The Host header must name this server, so a page on a rebinding domain
 * (evil.example resolving to 127.0.0.1) is refused; a browser Origin, when present, must be the dashboard's own.
 */
export class OriginPolicy {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(bindHost: string, port: number) {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
    const bracket = (a: string) => (a.includes(':') ? `[${a}]` : a);
    if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bracket(bindHost));
    // bound to every interface (BOT_API_ALLOW_REMOTE=1): each of this machine's own addresses names it
    else for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(bracket(i.address));
    this.hosts = new Set([...names].map((n) => `${n}:${port}`));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  /** null when fine, else why not */
  check(req: IncomingMessage): string | null {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host)) return 'the Host header does not name this server';
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) return 'requests from another site are not allowed';
    return null;
  }
}
