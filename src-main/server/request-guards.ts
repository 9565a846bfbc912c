import { isLoopbackHost } from '../../src-shared/loopback';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

/**
 * A loopback name with any port, accepted from a loopback peer: that is what an SSH tunnel delivers when its local
 * end listens on another port (`ssh -N -L 18080:127.0.0.1:8080` → Host 127.0.0.1:18080 on a server bound to 8080).
 * It does not reopen DNS rebinding: a rebinding page runs under the attacker's name, so its browser sends
 * `Host: evil.example:PORT`, never a loopback name, and is still refused. A page on another local port (say a dev
 * server at localhost:3000) that calls us sends our own Host and its own Origin, which the Origin rule refuses; only
 * a page served *through* the tunnel is same-origin with the Host it sends, and that page is our dashboard.
 * The peer must be loopback too, so a server bound to every interface does not take a loopback name from afar.
 */
const LOOPBACK_HOST_ANY_PORT = /^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;
const isLoopbackPeer = (req: IncomingMessage) => isLoopbackHost(req.socket.remoteAddress ?? '');

/**
 * Host and Origin checks (docs/contract.md §6). The Host header must name this server, so a page on a rebinding domain
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
    if (!host) return 'the Host header does not name this server';
    const own = this.hosts.has(host);
    if (!own && !(LOOPBACK_HOST_ANY_PORT.test(host) && isLoopbackPeer(req))) return 'the Host header does not name this server';
    const origin = req.headers.origin?.toLowerCase();
    // a page through a tunnel is same-origin with the Host it used (http://127.0.0.1:18080 for Host 127.0.0.1:18080)
    if (origin !== undefined && !this.origins.has(origin) && (own || origin !== `http://${host}`))
      return 'requests from another site are not allowed';
    return null;
  }
}
