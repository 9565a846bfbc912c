import { isLoopbackHost } from './loopback';
/**
 * How a remote bot may be reached (shared: the hub enforces it, the add-bot dialog explains it before sending). The management API must never face the internet in plain text: a bot is reached
 * through an SSH tunnel (a loopback URL here), over https, or over plain http inside a VPN the user vouches for.
 */
import type { FleetBot, FleetLink, FleetTotal } from './contract';

export type UrlVerdict = { ok: true; origin: string; link: Exclude<FleetLink, 'local'> } | { ok: false; message: string };

export const isLoopbackHostname = isLoopbackHost;

/** A URL the user typed → its origin and how safe the link is, or one sentence on why not. */
export function classifyBotUrl(input: string, vpnConfirmed: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, message: 'This is not a URL; write it as http://127.0.0.1:18080 (an SSH tunnel) or https://bot.example.com.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, message: `Only http:// and https:// URLs are supported, not ${url.protocol}//.` };
  if (url.username || url.password) return { ok: false, message: 'Put the token in the token field, never in the URL.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, message: "Give only the server's address (scheme, host and port), without a path." };
  }
  if (isLoopbackHostname(url.hostname)) return { ok: true, origin: url.origin, link: 'loopback' };
  if (url.protocol === 'https:') return { ok: true, origin: url.origin, link: 'https' };
  if (!vpnConfirmed) {
    return {
      ok: false,
      message: `Plain http:// to ${url.hostname} would send the token and every order unencrypted; use an SSH tunnel or https://, or confirm that this address is inside your VPN.`,
    };
  }
  return { ok: true, origin: url.origin, link: 'vpn' };
}

/**
 * The command that forwards a local port to a server's loopback-only API. The local port may differ from the
 * remote one: the server accepts a loopback Host with any port from a loopback peer (see request-guards.ts).
 */
export function sshTunnelCommand(o: { user: string; host: string; localPort: number; remotePort: number }): string {
  return `ssh -N -L ${o.localPort}:127.0.0.1:${o.remotePort} ${o.user}@${o.host}`;
}

/** equity and today's P&L summed per quote currency (USDT with USDT, BTC with BTC): the fleet's totals */
export function fleetTotals(bots: Pick<FleetBot, 'status' | 'today_pnl'>[]): FleetTotal[] {
  const byQuote = new Map<string, FleetTotal>();
  for (const b of bots) {
    if (!b.status) continue;
    const quote = b.status.stake_currency;
    const t = byQuote.get(quote) ?? { quote, equity: 0, today_pnl: 0, bots: 0 };
    t.equity += b.status.equity;
    t.today_pnl += b.today_pnl ?? 0;
    t.bots++;
    byQuote.set(quote, t);
  }
  return [...byQuote.values()];
}
