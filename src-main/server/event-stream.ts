import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorBody, EVENT_TYPES, type EventType } from '../../src-shared/contract';
import type { EventFeed } from '../engine/events/event-bus';
import { bearerToken } from './token-auth';

export type UpgradeVerdict =
  { ok: true; scope: 'read' | 'control'; credentialId?: number } | { ok: false; status: 400 | 401 | 403 | 404 | 429; message: string };

export interface EventStreamOptions {
  server: Server;
  events: EventFeed;
  /** Host/Origin/token checks; `token` comes from the Authorization header or the subprotocols ["bearer", token] */
  authorize(req: IncomingMessage, token: string | null): UpgradeVerdict;
  path?: string;
  /** paths another stream on the same server answers: left alone here */
  ignorePaths?: string[];
  /** false: leave upgrades to unknown paths for another stream to refuse (404) */
  answerUnknownPaths?: boolean;
  /** a client with more than this queued is cut off (1013) instead of buffering without bound */
  maxBufferedBytes?: number;
  pingIntervalMs?: number;
  maxPayload?: number;
  /** connections beyond this are refused (503) */
  maxClients?: number;
  onClientError?(msg: string): void;
  /** false once the credential a handshake was authorized with has been replaced (the handshake finishes a tick later) */
  credentialIsCurrent?(credentialId: number): boolean;
}

export interface EventStream {
  clientCount(): number;
  /** closes (4401) every connection that authenticated with this credential */
  closeCredential(credentialId: number, reason: string): void;
  close(): Promise<void>;
}

export const EVENT_STREAM_PATH = '/ws/events';
export const FLEET_STREAM_PATH = '/ws/fleet';
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};
const TRY_AGAIN_LATER = 1013;
/** application close code: the token the connection authenticated with no longer works (an HTTP 401, in 4xxx) */
export const TOKEN_REVOKED = 4401;
const TYPE_SET = new Set<string>(EVENT_TYPES);

interface Client {
  ws: WebSocket;
  /** the upgraded TCP socket under `ws`: events are written to it as whole frames (see textFrame) */
  socket: Duplex;
  types: Set<EventType> | null;
  alive: boolean;
  credentialId: number | null;
}

/**
 * One event as a complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, a server's frames are unmasked), built
 * once and written as is to every client's socket. `ws.send` would frame it again for each client (an options object,
 * a header buffer and two writes apiece); at 1,000 clients that per-client work is what the fan-out's tail is made of.
 * Safe beside ws's own writes (pings, close) because this stream never compresses, so ws writes each of its frames
 * whole and at once, and a frame is written only while the connection is open.
 */
export function textFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(json, header, 'utf8');
  return frame;
}

/** Subprotocols ["bearer", token] → token (browsers cannot set headers on a WebSocket). */
function subprotocolToken(req: IncomingMessage): string | null {
  const list = req.headers['sec-websocket-protocol']?.split(',').map((s) => s.trim()) ?? [];
  const i = list.indexOf('bearer');
  return i >= 0 && list[i + 1] ? list[i + 1] : null;
}

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorBody(message));
  // as ws's own abortHandshake: a client that never closes its side must not keep the socket half-open
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** `?types=` and `?since=` (docs/contract.md §5), or why not */
function parseQuery(search: string): { types: Set<EventType> | null; since: number | null } | string {
  const params = new URLSearchParams(search);
  for (const key of params.keys()) if (key !== 'types' && key !== 'since') return `unknown query parameter "${key}" (use types and since)`;
  let types: Set<EventType> | null = null;
  const typesText = params.get('types');
  if (typesText !== null) {
    types = new Set();
    for (const t of typesText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!TYPE_SET.has(t)) return `unknown event type "${t}"; known: ${EVENT_TYPES.join(', ')}`;
      types.add(t as EventType);
    }
  }
  const sinceText = params.get('since');
  if (sinceText !== null && !/^\d{1,15}$/.test(sinceText)) return 'since must be a non-negative integer (the last seq you received)';
  return { types, since: sinceText === null ? null : Number(sinceText) };
}

/**
 * The event stream at /ws/events (docs/contract.md §5): authenticated in the HTTP upgrade, optional type filter, replay
 * of buffered events after `since` then live events with no gap, protocol pings, slow consumers cut off.
 * Events arrive serialised once by the bus; each is framed once and the same bytes are written to every client.
 */
export function attachEventStream(o: EventStreamOptions): EventStream {
  const path = o.path ?? EVENT_STREAM_PATH;
  const ignored = new Set(o.ignorePaths ?? []);
  const maxBuffered = o.maxBufferedBytes ?? 4 * 1024 * 1024;
  const maxClients = o.maxClients ?? 1000;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: o.maxPayload ?? 4096,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
  });
  const clients = new Set<Client>();

  const cutOff = (c: Client) => {
    clients.delete(c);
    o.onClientError?.('event stream client too slow; disconnected (1013)');
    c.ws.close(TRY_AGAIN_LATER, 'slow consumer: too far behind; reconnect with ?since=');
    const timer = setTimeout(() => c.ws.terminate(), 1000);
    timer.unref();
  };
  const send = (c: Client, frame: Buffer) => {
    // what waits in the socket is what ws would count as buffered (no frame of ours waits inside ws)
    if (c.socket.writableLength > maxBuffered) return cutOff(c);
    if (c.ws.readyState === c.ws.OPEN) c.socket.write(frame);
  };

  // framed once per event and the same bytes written to every client, at once: a status change a person is waiting
  // for is not held back for events published after it (Node queues a busy socket's writes and sends them together)
  const unsubscribe = o.events.subscribe(
    (event, json) => {
      if (clients.size === 0) return;
      const frame = textFrame(json);
      for (const c of clients) if (!c.types || c.types.has(event.type)) send(c, frame);
    },
    { first: true },
  );

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const requested = q === -1 ? url : url.slice(0, q);
    if (requested !== path && (ignored.has(requested) || o.answerUnknownPaths === false)) return;
    socket.on('error', () => socket.destroy());
    if (requested !== path) return reject(socket, 404, `No WebSocket endpoint at ${requested}; use ${path}.`);
    const token = bearerToken(req.headers.authorization) ?? subprotocolToken(req);
    const verdict = o.authorize(req, token);
    if (!verdict.ok) return reject(socket, verdict.status, verdict.message);
    const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
    if (typeof query === 'string') return reject(socket, 400, `Invalid event stream request: ${query}.`);
    if (wss.clients.size >= maxClients) return reject(socket, 503, `Too many event stream connections (${maxClients}); try again later.`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = {
        ws,
        socket,
        types: query.types,
        alive: true,
        credentialId: verdict.credentialId ?? null,
      };
      if (client.credentialId !== null && o.credentialIsCurrent && !o.credentialIsCurrent(client.credentialId)) {
        return ws.close(TOKEN_REVOKED, 'the token this connection used was replaced');
      }
      // replay and subscription happen in this same tick, so no event can fall between them
      if (query.since !== null) {
        for (const { type, json } of o.events.since(query.since))
          if (!client.types || client.types.has(type)) send(client, textFrame(json));
      }
      if (ws.readyState !== ws.OPEN) return;
      clients.add(client);
      ws.on('pong', () => (client.alive = true));
      ws.on('message', () => undefined);
      ws.on('error', () => ws.terminate());
      ws.on('close', () => clients.delete(client));
    });
  };
  o.server.on('upgrade', onUpgrade);

  const pinger = setInterval(() => {
    for (const c of clients) {
      if (!c.alive) {
        clients.delete(c);
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }, o.pingIntervalMs ?? 30_000);
  pinger.unref();

  return {
    clientCount: () => clients.size,
    closeCredential(credentialId, reason) {
      for (const c of [...clients]) {
        if (c.credentialId !== credentialId) continue;
        clients.delete(c);
        c.ws.close(TOKEN_REVOKED, reason);
        // a client that never answers the close frame is cut a moment later
        setTimeout(() => c.ws.terminate(), 1000).unref();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(pinger);
        unsubscribe();
        o.server.off('upgrade', onUpgrade);
        for (const c of clients) c.ws.close(1001, 'server shutting down');
        clients.clear();
        // a moment for the 1001 frames to leave, then whatever is still open is cut
        const cut = setTimeout(
          () => {
            for (const ws of wss.clients) ws.terminate();
            wss.close(() => resolve());
          },
          wss.clients.size ? 200 : 0,
        );
        cut.unref();
      }),
  };
}
