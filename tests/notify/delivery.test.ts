// The delivery queue, its backoff and the webhook signature, against a real receiver on a real socket.
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../src-main/notify/delivery-queue';
import { createWebhookSink, formatBody, pointsAtOwnApi, signatureHeader } from '../../src-main/notify/webhook-sink';
import { TelegramApi } from '../../src-main/notify/telegram-api';
import { createTelegramSink } from '../../src-main/notify/telegram-sink';
import { retryAfterMs, type Notice } from '../../src-main/notify/sink';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../helpers/webhook-receiver';
import { startTelegramStandIn, type TelegramStandIn } from '../helpers/telegram-stand-in';
import { waitFor } from '../helpers/wait';

const SECRET = 'whsec-0123456789abcdef';
let n = 0;
const notice = (text = `notice ${++n}`): Notice => ({
  id: `id-${n}-${text}`,
  kind: 'trades',
  title: 'T',
  text,
  ts: Date.now(),
  event: null,
});
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});
async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver({ secret: SECRET });
  open.push(r);
  return r;
}
function queue(url: string, o: ConstructorParameters<typeof DeliveryQueue>[1] = {}) {
  const q = new DeliveryQueue(createWebhookSink({ index: 0, webhook: { url, format: 'json', secret: SECRET } }), {
    baseDelayMs: 20,
    random: () => 0.5,
    ...o,
  });
  open.push(q);
  return q;
}

describe('webhook signature', () => {
  it('signs "<t>.<body>" so a receiver can check the body and the time', () => {
    const body = '{"a":1}';
    const t = Date.now();
    const header = signatureHeader(SECRET, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, body, SECRET)).toBe(true);
    expect(verifySignature(header, '{"a":2}', SECRET)).toBe(false);
    expect(verifySignature(header, body, 'another-secret-0123456')).toBe(false);
    // a request replayed ten minutes later is refused by the time it carries
    expect(verifySignature(signatureHeader(SECRET, body, t - 600_000), body, SECRET)).toBe(false);
  });

  it('discord and slack get the text their webhooks show, with no pings and escaped markup', () => {
    const n: Notice = { id: 'x', kind: 'errors', title: 'Order <rejected>', text: '@everyone & co', ts: 1, event: null };
    expect(JSON.parse(formatBody('discord', n))).toEqual({
      content: '**Order <rejected>**\n@everyone & co',
      allowed_mentions: { parse: [] },
    });
    expect(JSON.parse(formatBody('slack', n))).toEqual({ text: '*Order &lt;rejected&gt;*\n@everyone &amp; co' });
  });

  it('Retry-After in seconds or as a date; a webhook at the API itself is recognised', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeNull();
    const api = { host: '127.0.0.1', port: 8080 };
    expect(pointsAtOwnApi('http://localhost:8080/api/v1/bot/stop', api)).toBe(true);
    expect(pointsAtOwnApi('http://[::1]:8080/x', api)).toBe(true);
    expect(pointsAtOwnApi('http://127.0.0.1:8081/x', api)).toBe(false);
    expect(pointsAtOwnApi('https://example.com:8080/x', api)).toBe(false);
    expect(pointsAtOwnApi('http://10.0.0.5/x', { host: '0.0.0.0', port: 80 })).toBe(false);
    expect(pointsAtOwnApi('http://127.0.0.1/x', { host: '0.0.0.0', port: 80 })).toBe(true);
  });
});

describe('delivery queue', () => {
  it('retries a 500 with backoff and delivers once, signed, with the same delivery id', async () => {
    const r = await receiver();
    r.failNext(2, { kind: 'status', status: 500 });
    const q = queue(r.url);
    const started = Date.now();
    const sent = notice();
    q.push(sent);
    await waitFor(() => q.stats().delivered === 1, 'the deliveries');
    expect(r.attempts).toBe(3);
    // 20 ms then 40 ms of backoff at least
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(r.accepted[0].signatureOk).toBe(true);
    expect(r.accepted[0].headers['x-botdesk-delivery']).toBe(sent.id);
    expect(r.accepted[0].json).toMatchObject({ id: sent.id, kind: 'trades', text: sent.text });
    expect(q.stats()).toMatchObject({ delivered: 1, retries: 2, failed: 0, dropped: 0, queued: 0, state: 'ok' });
  });

  it("honours a 429's Retry-After over a shorter backoff", async () => {
    const r = await receiver();
    r.failNext(1, { kind: 'status', status: 429, retryAfter: '1' });
    const q = queue(r.url);
    const started = Date.now();
    q.push(notice());
    await waitFor(() => q.stats().delivered === 1, 'the deliveries');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(q.stats().retries).toBe(1);
  });

  it('a hanging receiver never blocks the pusher, times out and is retried', async () => {
    const r = await receiver();
    r.failNext(1, { kind: 'hang' });
    const q = queue(r.url, { timeoutMs: 300 });
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) q.push(notice());
    expect(performance.now() - t0).toBeLessThan(200); // pushing is bookkeeping, never waits for I/O (the hang is 300 ms)
    await waitFor(() => q.stats().delivered === 50, 'the deliveries');
    expect(q.stats()).toMatchObject({ delivered: 50, retries: 1, last_error: 'no answer within 300 ms' });
    expect(new Set(r.accepted.map((d) => d.json.id)).size).toBe(50);
  });

  it('a receiver that went away: a full queue drops its oldest (counted), the rest arrive in order once, when it is back', async () => {
    const r = await receiver();
    await r.goAway();
    const health: (string | null)[] = [];
    const q = queue(r.url, { capacity: 5, baseDelayMs: 100, maxDelayMs: 200, maxAttempts: 100, onHealth: (f) => health.push(f) });
    const sent = Array.from({ length: 8 }, () => notice());
    for (const s of sent) q.push(s);
    await waitFor(() => q.stats().retries >= 2, 'the deliveries');
    expect(q.stats()).toMatchObject({ state: 'retrying', queued: 5, dropped: 3 });
    expect(health[0]).toMatch(/could not connect \(ECONNREFUSED\)/);
    await r.comeBack();
    await waitFor(() => q.stats().queued === 0, 'the deliveries');
    // the first one stayed (it was being sent); the oldest waiting ones went
    expect(r.accepted.map((d) => d.json.id)).toEqual([sent[0], ...sent.slice(4)].map((s) => s.id));
    expect(q.stats()).toMatchObject({ delivered: 5, dropped: 3, failed: 0, state: 'ok' });
    expect(health.at(-1)).toBeNull();
  });

  it('a 4xx that will not change is given up at once', async () => {
    const r = await receiver();
    r.failNext(1, { kind: 'status', status: 404 });
    const given: string[] = [];
    const q = queue(r.url, { onGiveUp: (reason) => given.push(reason) });
    q.push(notice());
    q.push(notice());
    await waitFor(() => q.stats().delivered === 1, 'the deliveries');
    expect(given).toEqual(['HTTP 404']);
    expect(q.stats()).toMatchObject({ delivered: 1, failed: 1, retries: 0 });
  });
});

describe('Telegram sink', () => {
  let tg: TelegramStandIn;
  afterEach(async () => tg?.close());

  it("waits Telegram's parameters.retry_after on a 429, then delivers once", async () => {
    tg = await startTelegramStandIn();
    tg.rateLimitSends(1, 1);
    const q = new DeliveryQueue(createTelegramSink({ api: new TelegramApi(tg.token, tg.url), chatId: 42 }), { baseDelayMs: 10 });
    open.push(q);
    const started = Date.now();
    q.push(notice('hello'));
    await waitFor(() => q.stats().delivered === 1, 'the deliveries');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(tg.sent[0]).toMatchObject({ chat_id: 42, text: 'T\nhello' });
    expect(q.stats()).toMatchObject({ delivered: 1, retries: 1 });
  });

  it('a revoked token stops the chat: refused once, what waits and what comes later is dropped', async () => {
    tg = await startTelegramStandIn();
    tg.revoke();
    const refused: string[] = [];
    const q = new DeliveryQueue(createTelegramSink({ api: new TelegramApi(tg.token, tg.url), chatId: 42 }), {
      onRefused: (r) => refused.push(r),
    });
    open.push(q);
    q.push(notice());
    q.push(notice());
    await waitFor(() => q.stats().state === 'refused', 'the deliveries');
    q.push(notice());
    expect(refused).toEqual(['Telegram answered 401: Unauthorized']);
    expect(q.stats()).toMatchObject({ failed: 1, dropped: 2, delivered: 0 });
    expect(tg.calls.sendMessage).toBe(1);
  });
});
