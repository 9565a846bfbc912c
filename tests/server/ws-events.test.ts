// The event stream module on its own: a real node:http server, a real EventBus, real `ws` clients; auth comes from a
// stub `authorize` so every upgrade verdict can be exercised (the whole-server path is in event-stream-api.test.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BotEventSchema, DEFAULT_CONFIG, EVENT_TYPES, type BotEvent, type EventData, type EventType } from '../../src-shared/contract';
import { EventBus } from '../../src-main/engine/events/event-bus';
import { attachEventStream, type EventStream, type EventStreamOptions, type UpgradeVerdict } from '../../src-main/server/event-stream';
import { waitFor } from '../helpers/wait';
import { connectEvents, upgradeRefusal, type ClientOptions, type EventClient } from '../helpers/ws-client';

const TOKEN = 'control-token-0123456789abcdef';

interface Harness {
  server: Server;
  bus: EventBus;
  stream: EventStream;
  url: string;
  /** tokens `authorize` was handed, in order */
  tokensSeen: (string | null)[];
  clientErrors: string[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `secret` → control, `reader` → read, `forbidden` → 403, `limited` → 429, anything else (or none) → 401 */
function stubAuthorize(_req: IncomingMessage, token: string | null): UpgradeVerdict {
  if (token === TOKEN) return { ok: true, scope: 'control' };
  if (token === 'reader') return { ok: true, scope: 'read' };
  if (token === 'forbidden') return { ok: false, status: 403, message: 'Origin not allowed.' };
  if (token === 'limited') return { ok: false, status: 429, message: 'Too many failed attempts.' };
  return { ok: false, status: 401, message: token ? 'Invalid token.' : 'Missing bearer token.' };
}

async function start(opts: Partial<EventStreamOptions> = {}): Promise<Harness> {
  const server = createServer((_req, res) => res.writeHead(426).end());
  const bus = new EventBus();
  const tokensSeen: (string | null)[] = [];
  const clientErrors: string[] = [];
  const stream = attachEventStream({
    server,
    events: bus,
    authorize: (req, token) => {
      tokensSeen.push(token);
      return stubAuthorize(req, token);
    },
    onClientError: (m) => clientErrors.push(m),
    ...opts,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  cleanups.push(async () => {
    await stream.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { server, bus, stream, url: `ws://127.0.0.1:${port}/ws/events`, tokensSeen, clientErrors };
}

const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };

/** a client closed after each test */
async function connect(url: string, opts: ClientOptions = {}): Promise<EventClient> {
  const c = await connectEvents(url, opts);
  cleanups.push(() => c.ws.terminate());
  return c;
}
const refusal = upgradeRefusal;

const expectSeqRun = (events: BotEvent[], first: number) => {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => first + i));
};

/** one plausible payload per event type (the bus does not validate; the test checks them against the contract) */
const samples: { [K in EventType]: EventData<K> } = {
  status_change: {
    state: 'running',
    running: true,
    mode: 'paper',
    exchange: 'binance',
    market: 'replay',
    sandbox: false,
    symbol: 'BTC/USDT',
    stake_currency: 'USDT',
    timeframe: '5m',
    started_at: 1_764_000_000_000,
    uptime_s: 42,
    open_positions: 1,
    pending_orders: 0,
    equity: 10_012.5,
    today_pnl: 12.5,
    equity_ts: 1_764_000_000_000,
    last_price: 91_250.1,
    last_cycle_at: 1_764_000_042_000,
    config_version: 3,
    applied_config_version: 3,
    paused_reason: null,
    paused_at: null,
    attention: [],
  },
  trade: {
    id: 7,
    position_id: 12,
    symbol: 'BTC/USDT',
    side: 'long',
    amount: 0.01,
    entry_price: 90_000,
    exit_price: 91_000,
    entry_time: 1_764_000_000_000,
    exit_time: 1_764_000_300_000,
    fee: 1.82,
    pnl: 8.18,
    pnl_pct: 0.909,
    exit_reason: 'take_profit',
    config_version: 3,
  },
  signal: {
    ts: 1_764_000_000_000,
    action: 'enter',
    price: 90_000,
    reason: 'EMA 9 crossed above EMA 21',
    accepted: false,
    rejected_because: 'max open positions reached',
  },
  order: {
    id: 31,
    client_order_id: 'bd-31',
    exchange_order_id: 'paper-31',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    purpose: 'entry',
    amount: 0.01,
    price: null,
    trigger_price: null,
    status: 'filled',
    filled: 0.01,
    average_price: 90_000,
    fee: 0.9,
    position_id: 12,
    exit_reason: null,
    created_at: 1_764_000_000_000,
    updated_at: 1_764_000_000_100,
    config_version: 3,
  },
  position: {
    id: 12,
    symbol: 'BTC/USDT',
    side: 'long',
    amount: 0.01,
    entry_price: 90_000,
    current_price: 90_500,
    unrealized_pnl: 5,
    entry_fee: 0.9,
    stop_loss_price: 88_200,
    take_profit_price: 91_800,
    opened_at: 1_764_000_000_000,
    config_version: 3,
    dust: false,
    status: 'open',
  },
  config_changed: {
    version: 4,
    created_at: 1_764_000_000_000,
    actor: 'api:control',
    reason: 'tighter stop',
    changes: [{ field: 'stop_loss_pct', from: 1.5, to: 1 }],
    config: { ...DEFAULT_CONFIG, stop_loss_pct: 1 },
  },
  error: { code: 'daily_loss_limit', message: 'Daily loss limit of 3% reached; new entries paused.' },
  log: { ts: 1_764_000_000_000, level: 'info', msg: 'bot started' },
  job: { id: 4, kind: 'sweep', state: 'running', progress: 0.25 },
  fleet: {
    kind: 'alert',
    alert: {
      bot_id: 'b0123456789',
      name: 'VPS Frankfurt',
      kind: 'disconnected',
      message: 'VPS Frankfurt disconnected; reconnecting.',
      ts: 1_764_000_000_000,
    },
  },
};

describe('attachEventStream', () => {
  it('accepts a bearer token in the Authorization header or in the ["bearer", token] subprotocols (selecting "bearer")', async () => {
    const h = await start();
    const byHeader = await connect(h.url, auth);
    expect(byHeader.ws.protocol).toBe('');
    const byProtocol = await connect(h.url, { protocols: ['bearer', TOKEN] });
    expect(byProtocol.ws.protocol).toBe('bearer');
    const reader = await connect(h.url, { protocols: ['bearer', 'reader'] });
    expect(h.tokensSeen).toEqual([TOKEN, TOKEN, 'reader']);
    await waitFor(() => h.stream.clientCount() === 3, 'three clients');
    h.bus.publish('log', { ts: Date.now(), level: 'info', msg: 'hello' });
    await waitFor(() => [byHeader, byProtocol, reader].every((c) => c.events.length === 1), 'the event on every client');
  });

  it('refuses with a real HTTP answer: 401 without a token, the verdict status and message otherwise, never a token from the URL', async () => {
    const h = await start();
    expect(await refusal(h.url)).toEqual({ status: 401, body: { success: false, error: 'Missing bearer token.' } });
    expect(await refusal(h.url, { headers: { Authorization: 'Bearer wrong' } })).toMatchObject({
      status: 401,
      body: { error: 'Invalid token.' },
    });
    expect(await refusal(h.url, { protocols: ['bearer', 'forbidden'] })).toEqual({
      status: 403,
      body: { success: false, error: 'Origin not allowed.' },
    });
    expect(await refusal(h.url, { headers: { Authorization: 'Bearer limited' } })).toMatchObject({
      status: 429,
      body: { error: 'Too many failed attempts.' },
    });
    expect((await refusal(`${h.url}?token=${TOKEN}`)).status).toBe(401);
    expect((await refusal(`${h.url}?access_token=${TOKEN}`)).status).toBe(401);
    // the URL token never reached authorize
    expect(h.tokensSeen.filter((t) => t === TOKEN)).toEqual([]);
    expect(h.stream.clientCount()).toBe(0);
  });

  it('answers 404 on another path and 400 on bad types, since or unknown query keys', async () => {
    const h = await start();
    const other = await refusal(h.url.replace('/ws/events', '/ws/other'), auth);
    expect(other.status).toBe(404);
    expect(other.body.success).toBe(false);
    const moon = await refusal(`${h.url}?types=trade,moon`, auth);
    expect(moon.status).toBe(400);
    expect(moon.body.error).toContain('moon');
    for (const since of ['-1', '1.5', 'abc', ''])
      expect((await refusal(`${h.url}?since=${since}`, auth)).status, `since=${since}`).toBe(400);
    expect((await refusal(`${h.url}?types=trade&limit=5`, auth)).status).toBe(400);
    expect(h.stream.clientCount()).toBe(0);
  });

  it('delivers every event type of the contract, each message as {type, ts, seq, data} with seq rising by one', async () => {
    const h = await start();
    const c = await connect(h.url, auth);
    for (const type of EVENT_TYPES) h.bus.publish(type, samples[type]);
    await waitFor(() => c.events.length === EVENT_TYPES.length, 'all eight events');
    expect(c.events.map((e) => e.type)).toEqual(EVENT_TYPES);
    for (const e of c.events) {
      BotEventSchema.parse(e);
      expect(e.data).toEqual(samples[e.type]);
    }
    expectSeqRun(c.events, 1);
  });

  it('frames every event length whole as text, across the 7-bit, 16-bit and 64-bit length encodings, multi-byte text included', async () => {
    const h = await start();
    const c = await connect(h.url, auth);
    const kinds: boolean[] = [];
    c.ws.on('message', (_m, isBinary) => kinds.push(isBinary));
    // a log event's JSON is ~90 bytes plus its msg: these msgs put it on both sides of 125/126 and of 65535/65536
    const msgs = [
      ...Array.from({ length: 60 }, (_, i) => 'a'.repeat(i)),
      ...Array.from({ length: 60 }, (_, i) => 'b'.repeat(65_536 - 120 + i)),
      'é€'.repeat(30),
      '€'.repeat(22_000),
    ];
    for (const msg of msgs) h.bus.publish('log', { ts: 1, level: 'info', msg });
    await waitFor(() => c.events.length === msgs.length, 'every framed event');
    // the texts sent (a parsed event prints back to the same text); the replay ring holds only the newest 1 MiB
    const sizes = c.events.map((e) => Buffer.byteLength(JSON.stringify(e)));
    expect(sizes.some((n) => n <= 125) && sizes.some((n) => n >= 126 && n < 65_536) && sizes.some((n) => n >= 65_536)).toBe(true);
    expect(sizes).toContain(125);
    expect(sizes).toContain(126);
    expect(sizes).toContain(65_535);
    expect(sizes).toContain(65_536);
    expect(c.events.map((e) => (e.data as { msg: string }).msg)).toEqual(msgs);
    expect(kinds.every((binary) => !binary)).toBe(true);
    expectSeqRun(c.events, 1);
  });

  it('?types= limits the stream to the listed types', async () => {
    const h = await start();
    const only = await connect(`${h.url}?types=trade,status_change`, auth);
    const all = await connect(h.url, auth);
    for (let round = 0; round < 3; round++) for (const type of EVENT_TYPES) h.bus.publish(type, samples[type]);
    await waitFor(() => all.events.length === 3 * EVENT_TYPES.length, 'every event on the unfiltered client');
    await waitFor(() => only.events.length === 6, 'the filtered events');
    expect(only.events.map((e) => e.type)).toEqual(['status_change', 'trade', 'status_change', 'trade', 'status_change', 'trade']);
  });

  it('?since= replays the buffered events after seq, then goes live with no gap and no duplicate', async () => {
    const h = await start();
    for (let i = 0; i < 50; i++) h.bus.publish('log', { ts: Date.now(), level: 'info', msg: `before ${i}` });
    const c = await connect(`${h.url}?since=20`, auth);
    for (let i = 0; i < 50; i++) h.bus.publish('log', { ts: Date.now(), level: 'info', msg: `after ${i}` });
    await waitFor(() => c.events.length === 80, 'replay (30) and live (50)');
    expectSeqRun(c.events, 21);
    // since=0 replays everything; without since only live events arrive
    const fromZero = await connect(`${h.url}?since=0`, auth);
    const liveOnly = await connect(h.url, auth);
    h.bus.publish('log', { ts: Date.now(), level: 'info', msg: 'last' });
    await waitFor(() => fromZero.events.length === 101 && liveOnly.events.length === 1, 'replay from 0 and live only');
    expectSeqRun(fromZero.events, 1);
    expect(liveOnly.events[0].seq).toBe(101);
  });

  it('a client that reconnects with since=<last seq> loses nothing while events keep coming', async () => {
    const h = await start();
    let n = 0;
    const publisher = setInterval(() => {
      for (let k = 0; k < 5; k++) h.bus.publish('log', { ts: Date.now(), level: 'info', msg: `tick ${n++}` });
    }, 2);
    cleanups.push(() => clearInterval(publisher));
    const received: BotEvent[] = [];
    let last = 0;
    for (let hop = 0; hop < 4; hop++) {
      const c = await connect(`${h.url}?since=${last}`, auth);
      await waitFor(() => c.events.length >= 30, 'events on this connection');
      c.ws.terminate();
      await new Promise((r) => setTimeout(r, 20)); // events keep flowing while nobody is connected
      received.push(...c.events);
      last = received[received.length - 1].seq;
    }
    clearInterval(publisher);
    expect(received.length).toBeGreaterThanOrEqual(120);
    expectSeqRun(received, 1);
  });

  it('cuts a slow consumer off with 1013 while a fast client receives every event', async () => {
    const h = await start({ maxBufferedBytes: 64 * 1024 });
    const slow = await connect(h.url, auth);
    const fast = await connect(h.url, auth);
    // the slow client stops reading: the kernel buffers fill, then the server's buffer for it grows
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = 'x'.repeat(32 * 1024);
    let published = 0;
    while (h.stream.clientCount() === 2 && published < 2000) {
      h.bus.publish('log', { ts: Date.now(), level: 'debug', msg: `burst ${published++} ${big}` });
      if (published % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(h.stream.clientCount()).toBe(1);
    expect(h.clientErrors.some((m) => m.includes('1013'))).toBe(true);
    // reading again before the 1 s grace period ends, the slow client drains what was queued and then the close frame
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/slow consumer.*since/);
    expect(slow.events.length).toBeLessThan(published);
    // the fast one got all of them, in order
    for (let i = 0; i < 20; i++) h.bus.publish('log', { ts: Date.now(), level: 'info', msg: `after ${i}` });
    await waitFor(() => fast.events.length === published + 20, `every event on the fast client (${fast.events.length}/${published + 20})`);
    expectSeqRun(fast.events, 1);
  });

  it('terminates a slow consumer that does not even read its close frame within a second', async () => {
    const h = await start({ maxBufferedBytes: 64 * 1024 });
    const slow = await connect(h.url, auth);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(32 * 1024);
    for (let i = 0; i < 2000 && h.stream.clientCount() === 1; i++) {
      h.bus.publish('log', { ts: Date.now(), level: 'debug', msg: `burst ${i} ${big}` });
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(h.stream.clientCount()).toBe(0);
    // past the grace period the server destroys its end: the client, reading again, finds the connection gone
    // without having reached the close frame (1006)
    const open = () => new Promise<number>((r) => h.server.getConnections((_e, n) => r(n)));
    await waitFor(async () => (await open()) === 0, 'the server to destroy its end', 5_000);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(1006);
  });

  it('pings idle clients and terminates one that does not answer', async () => {
    const h = await start({ pingIntervalMs: 100 });
    const answering = await connect(h.url, auth);
    let pings = 0;
    answering.ws.on('ping', () => pings++);
    const silent = await connect(h.url, { ...auth, autoPong: false });
    await waitFor(() => h.stream.clientCount() === 2, 'two clients');
    const closed = await silent.closed;
    expect(closed.code).toBe(1006); // terminated: no close frame
    expect(h.stream.clientCount()).toBe(1);
    await waitFor(() => pings >= 3, 'pings on the answering client', 2000);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates a raw TCP client that completed the handshake and never answers pings', async () => {
    const h = await start({ pingIntervalMs: 100 });
    const { port } = h.server.address() as { port: number };
    const socket = netConnect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    let head = '';
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (d) => (head += d.toString('latin1')));
    socket.write(
      `GET /ws/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    await waitFor(() => head.startsWith('HTTP/1.1 101'), 'the 101 answer');
    expect(h.stream.clientCount()).toBe(1);
    await ended;
    expect(h.stream.clientCount()).toBe(0);
    // it was pinged (opcode 0x9) before being dropped
    expect(head.slice(head.indexOf('\r\n\r\n') + 4).charCodeAt(0)).toBe(0x89);
  });

  it('ignores what clients send, and closes a client whose message exceeds maxPayload', async () => {
    const h = await start({ maxPayload: 1024 });
    const c = await connect(h.url, auth);
    c.ws.send('{"type":"subscribe"}');
    c.ws.send(Buffer.alloc(100));
    h.bus.publish('log', { ts: Date.now(), level: 'info', msg: 'still here' });
    await waitFor(() => c.events.length === 1, 'the event after client messages');
    c.ws.send('x'.repeat(2048));
    expect((await c.closed).code).toBe(1009);
    await waitFor(() => h.stream.clientCount() === 0, 'the client to be gone');
  });

  it('close() says goodbye with 1001, stops accepting upgrades and detaches from the server', async () => {
    const h = await start();
    const before = h.server.listenerCount('upgrade');
    const a = await connect(h.url, auth);
    const b = await connect(`${h.url}?types=trade`, { protocols: ['bearer', TOKEN] });
    await h.stream.close();
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
    expect(h.server.listenerCount('upgrade')).toBe(before - 1);
    expect(h.stream.clientCount()).toBe(0);
    h.bus.publish('log', { ts: Date.now(), level: 'info', msg: 'nobody listens' });
  });
});
