/**
 * Webhooks (docs/contract.md §10): `json` posts the notice with the event as the stream carries it, signed with the
 * webhook's secret; `discord` and `slack` post the text their incoming webhooks show. Redirects are not followed (a
 * receiver cannot bounce a notice somewhere else), and a receiver's answer is read only as far as a 429 needs.
 */
import { createHmac } from 'node:crypto';
import { isLoopbackHost } from '../../src-shared/loopback';
import type { Webhook } from '../../src-shared/contract';
import { fetchFailure, retryAfterMs, type Notice, type SendResult, type Sink } from './sink';

export const SIGNATURE_HEADER = 'X-BotDesk-Signature';
export const DELIVERY_HEADER = 'X-BotDesk-Delivery';

/** `t=<epoch ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the time is signed too, so a replayed request is detectable */
export function signatureHeader(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** what a json webhook receives: the notice, and the event it tells of exactly as the event stream carries it */
export function jsonBody(n: Notice): string {
  return JSON.stringify({ id: n.id, kind: n.kind, title: n.title, text: n.text, ts: n.ts, event: n.event });
}

const DISCORD_MAX = 2000;
const SLACK_MAX = 3000;
const slackEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function formatBody(format: Webhook['format'], n: Notice): string {
  if (format === 'json') return jsonBody(n);
  if (format === 'discord')
    // no pings: a symbol or an error text must never mention @everyone
    return JSON.stringify({ content: `**${n.title}**\n${n.text}`.slice(0, DISCORD_MAX), allowed_mentions: { parse: [] } });
  return JSON.stringify({ text: `*${slackEscape(n.title)}*\n${slackEscape(n.text)}`.slice(0, SLACK_MAX) });
}

/** `discord webhook discord.com …abcd`: enough to tell webhooks apart, nothing of the token the URL may carry */
export function webhookLabel(w: Pick<Webhook, 'url' | 'format'>): string {
  const u = new URL(w.url);
  return `${w.format} webhook ${u.host} …${w.url.replace(/\/+$/, '').slice(-4)}`;
}

/**
 * Is this URL the bot's own management API (the same port on the address it binds, or on this computer when it binds
 * loopback or every address)? A webhook there would post notices into the API itself.
 */
export function pointsAtOwnApi(url: string, api: { host: string; port: number }): boolean {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  if (port !== api.port) return false;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const bind = api.host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const anyAddress = bind === '0.0.0.0' || bind === '::';
  return host === bind || (isLoopbackHost(host) && (isLoopbackHost(bind) || anyAddress));
}

/** the parts of a webhook URL that are its token (Discord's, Slack's): long path segments and the query */
export function urlSecrets(url: string): string[] {
  const u = new URL(url);
  const parts = u.pathname.split('/').filter((s) => s.length >= 16);
  if (u.search.length > 1) parts.push(u.search.slice(1));
  return [url, ...parts];
}

export function createWebhookSink(o: { index: number; webhook: Webhook; timeoutMs?: number; now?: () => number }): Sink {
  const { webhook } = o;
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 10_000;
  return {
    id: `webhook_${o.index + 1}`,
    label: webhookLabel(webhook),
    async send(n, signal): Promise<SendResult> {
      const body = formatBody(webhook.format, n);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': 'BotDesk-Notify/1',
        [DELIVERY_HEADER]: n.id,
      };
      // signed at each attempt: the time in the signature is when this request left
      if (webhook.format === 'json' && webhook.secret) headers[SIGNATURE_HEADER] = signatureHeader(webhook.secret, body, now());
      let res: Response;
      try {
        res = await fetch(webhook.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      } catch (e) {
        return { ok: false, reason: fetchFailure(e, timeoutMs), retry: true };
      }
      const status = res.status;
      if (status >= 200 && status < 300) {
        await res.body?.cancel().catch(() => undefined);
        return { ok: true };
      }
      let after = retryAfterMs(res.headers.get('retry-after'), now());
      if (status === 429 && after === null && webhook.format === 'discord') {
        // Discord also says it in the body, in seconds
        const said = (await res.json().catch(() => null)) as { retry_after?: unknown } | null;
        if (typeof said?.retry_after === 'number') after = Math.round(said.retry_after * 1000);
      } else await res.body?.cancel().catch(() => undefined);
      if (status >= 300 && status < 400) return { ok: false, reason: `HTTP ${status} (redirects are not followed)`, retry: false };
      const retry = status === 429 || status === 408 || status >= 500;
      return { ok: false, reason: `HTTP ${status}`, retry, ...(after !== null ? { retryAfterMs: after } : {}) };
    },
  };
}
