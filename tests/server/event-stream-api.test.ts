// The event stream through the whole server: real runtime, real WebSocket clients, auth in the upgrade.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { BotEventSchema, EVENT_TYPES, type EventType } from '../../src-shared/contract';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { waitFor } from '../helpers/wait';
import { XRP_5M } from '../helpers/candles';
import { connectEvents, type EventClient } from '../helpers/ws-client';
import type { EventBus } from '../../src-main/engine/events/event-bus';

const connect = connectEvents;
const refusal = async (p: Promise<EventClient>) =>
  p.then(
    (c) => (c.ws.terminate(), 101),
    (e: { refusal?: { status: number } }) => e.refusal?.status ?? -1,
  );

describe('event stream through the API server', () => {
  let api: ApiHarness;
  let wsUrl: string;
  beforeAll(async () => {
    api = await startApi({ replaySpeed: 200 });
    wsUrl = `${api.url.replace('http', 'ws')}/ws/events`;
  });
  afterAll(() => api.close());

  it('authenticates in the upgrade: header or ["bearer", token] subprotocols; read token may stream', async () => {
    const byHeader = await connect(wsUrl, { headers: { Authorization: `Bearer ${api.token}` } });
    byHeader.ws.close();
    const byProtocol = await connect(wsUrl, { protocols: ['bearer', api.token] });
    expect(byProtocol.ws.protocol).toBe('bearer');
    byProtocol.ws.close();
    const reader = await connect(wsUrl, { protocols: ['bearer', api.readToken] });
    reader.ws.close();
    expect(await refusal(connect(wsUrl))).toBe(401);
    expect(await refusal(connect(wsUrl, { protocols: ['bearer', 'nope-nope-nope-nope'] }))).toBe(401);
    expect(await refusal(connect(`${wsUrl}?token=${api.token}`))).toBe(401);
  });

  it('refuses a foreign Origin even with a valid token (cross-site WebSocket hijacking) and a foreign Host', async () => {
    expect(await refusal(connect(wsUrl, { protocols: ['bearer', api.token], origin: 'https://evil.example' }))).toBe(403);
    expect(await refusal(connect(wsUrl, { protocols: ['bearer', api.token], headers: { Host: 'evil.example' } }))).toBe(403);
    const own = await connect(wsUrl, { protocols: ['bearer', api.token], origin: api.url });
    own.ws.close();
  });

  it('rejects unknown event types and a bad since with 400', async () => {
    const auth = { headers: { Authorization: `Bearer ${api.token}` } };
    expect(await refusal(connect(`${wsUrl}?types=trade,moon`, auth))).toBe(400);
    expect(await refusal(connect(`${wsUrl}?since=-1`, auth))).toBe(400);
  });

  it('delivers every event type of the contract from the running bot, with seq rising by one', async () => {
    const c = await connect(wsUrl, { headers: { Authorization: `Bearer ${api.token}` } });
    // a config change, fast exits for trades, and a daily loss limit low enough to trip (the error event)
    await api.call('PUT', '/bot/config', { stop_loss_pct: 0.3, take_profit_pct: 0.4, position_size_pct: 30, max_daily_loss_pct: 0.05 });
    // and a lab job (the `job` event): a backtest over candles imported for it
    const candles = (JSON.parse(readFileSync(XRP_5M, 'utf8')) as number[][]).slice(0, 300);
    const market = { symbol: 'XRP/USDT', timeframe: '5m' };
    expect((await api.call('POST', '/history/imports', { ...market, candles })).status).toBe(200);
    const backtest = await api.call('POST', '/backtests', { ...market, from: candles[0][0], to: candles[299][0] });
    expect(backtest.status, JSON.stringify(backtest.body)).toBe(200);
    const seen = () => new Set(c.events.map((e) => e.type));
    await waitFor(() => EVENT_TYPES.every((t) => seen().has(t)), 'every event type', 40_000).catch((e: Error) => {
      c.ws.close(); // the next tests count the clients
      throw new Error(`${e.message} (seen: ${[...seen()].join(', ')})`);
    });
    for (const e of c.events) BotEventSchema.parse(e);
    for (let i = 1; i < c.events.length; i++) expect(c.events[i].seq).toBe(c.events[i - 1].seq + 1);
    const error = c.events.find((e) => e.type === 'error');
    expect(error?.data).toMatchObject({ code: 'daily_loss_limit' });
    c.ws.close();
    await api.call('PUT', '/bot/config', { max_daily_loss_pct: 0 });
    await api.call('POST', '/bot/resume');
  });

  it('?types= limits the stream; ?since= replays then goes live; a reconnect loses nothing', async () => {
    const auth = { headers: { Authorization: `Bearer ${api.token}` } };
    const only: EventType[] = ['status_change', 'order'];
    const filtered = await connect(`${wsUrl}?types=${only.join(',')}`, auth);
    const full = await connect(wsUrl, auth);
    await waitFor(() => filtered.events.length >= 5 && full.events.length >= 20, 'events on both');
    expect(filtered.events.every((e) => only.includes(e.type))).toBe(true);

    // drop the full client, let events pass, resume from its last seq
    full.ws.terminate();
    const lastSeen = full.events[full.events.length - 1].seq;
    // events pass while it is away (the bus counts them), so the resume has something to replay
    await waitFor(() => api.runtime.events.lastSeq >= lastSeen + 20, 'events while the client is away');
    const resumed = await connect(`${wsUrl}?since=${lastSeen}`, auth);
    await waitFor(() => resumed.events.length >= 20, 'replayed and live events');
    expect(resumed.events[0].seq).toBe(lastSeen + 1);
    for (let i = 1; i < resumed.events.length; i++) expect(resumed.events[i].seq).toBe(resumed.events[i - 1].seq + 1);
    filtered.ws.close();
    resumed.ws.close();
  });

  it('survives connection churn: 300 connect/disconnect cycles leave no clients and no file descriptors behind', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const metricsClients = async () =>
      Number(
        /^botdesk_ws_clients (\d+)/m.exec(
          (await api.raw({ path: '/metrics', headers: { Authorization: `Bearer ${api.token}` } })).text,
        )?.[1],
      );
    const before = fds();
    for (let i = 0; i < 300; i++) {
      const c = await connect(wsUrl, { headers: { Authorization: `Bearer ${api.token}` } });
      if (i % 2) c.ws.terminate();
      else c.ws.close();
      await c.closed;
    }
    await waitFor(async () => (await metricsClients()) === 0, 'every stream client gone', 5000);
    await waitFor(() => fds() <= before + 5, `file descriptors back near ${before} (now ${fds()})`, 5000);
  });

  it('a client that cannot keep up is cut off with 1013 while a fast one keeps receiving', async () => {
    const slowApi = await startApi({ replaySpeed: 50, stream: { maxBufferedBytes: 1024 * 1024 } });
    try {
      const url = `${slowApi.url.replace('http', 'ws')}/ws/events`;
      const auth = { headers: { Authorization: `Bearer ${slowApi.token}` } };
      const slow = await connect(url, auth);
      const fast = await connect(url, auth);
      // the slow client stops reading from its socket: the server's buffer for it grows
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const wsClients = async () =>
        Number(
          /^botdesk_ws_clients (\d+)/m.exec(
            (await slowApi.raw({ path: '/metrics', headers: { Authorization: `Bearer ${slowApi.token}` } })).text,
          )?.[1],
        );
      expect(await wsClients()).toBe(2);
      // a burst far larger than the kernel's socket buffers: 400 events of 64 kB each
      const bus = slowApi.runtime.events as EventBus;
      const big = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 400; i++) {
        bus.publish('log', { ts: Date.now(), level: 'debug', msg: `burst ${i} ${big}` });
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 10));
      }
      // a paused client cannot even read the close frame, so watch from the server side: the metric and the log
      await waitFor(async () => (await wsClients()) === 1, 'the slow client to be cut off', 60_000, 200);
      const logs = (await slowApi.call('GET', '/bot/logs?level=warn&limit=1000')).body as { msg: string }[];
      expect(logs.some((l) => /too slow.*1013/.test(l.msg))).toBe(true);
      const before = fast.events.length;
      await waitFor(() => fast.events.length > before + 5, 'the fast client to keep receiving');
      expect(fast.events.filter((e) => e.type === 'log' && e.data.msg.startsWith('burst ')).length).toBe(400);
      for (let i = 1; i < fast.events.length; i++) expect(fast.events[i].seq).toBe(fast.events[i - 1].seq + 1);
      fast.ws.close();
    } finally {
      await slowApi.close();
    }
  });
});
