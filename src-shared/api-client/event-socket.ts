import type { BotEvent } from '../contract';
import { parseEvent, SeqFilter } from './event-parsing';

export type SocketState = 'connecting' | 'connected' | 'reconnecting';

/** What the event stream needs of a WebSocket: the browser's own, or the `ws` package's in Node. */
export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  /** set so a failed connection is not an unhandled 'error' (Node's `ws` throws those); the close that follows retries */
  onerror?: ((ev: unknown) => void) | null;
  close(code?: number): void;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

const browserWebSocket: WebSocketFactory = (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike;

export interface EventSocketOptions {
  /** ws://host:port/ws/events plus `?since=` when resuming */
  url(since: number | null): string;
  /** read at each (re)connection: a rotated token is picked up by the next one */
  token(): string;
  onEvent(event: BotEvent): void;
  onState(state: SocketState): void;
  /** after a failed connection: is the token still accepted? (a browser cannot see the upgrade's 401) */
  tokenStillValid(): Promise<boolean>;
  onUnauthorised(): void;
  /** defaults to the global WebSocket (browsers; Node ≥ 22) */
  webSocket?: WebSocketFactory;
  /**
   * The server closed the stream because its token was replaced (4401). Resolves true when this page holds the new
   * token (it rotated it): the stream comes back at once with it. False: someone else rotated it, the page is signed out.
   */
  onRevoked(usedToken: string): Promise<boolean>;
  /**
   * After a server restart (its seq counts from 1 again), resume from its very first buffered event instead of from
   * the first live one, so what it published before this connection is not lost. The fleet manager wants this; the
   * dashboard reloads its snapshots after a reconnect and keeps the older behaviour.
   */
  replayRestartedServer?: boolean;
}

/** close code of a stream whose token was rotated away or removed */
const TOKEN_REVOKED = 4401;

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000];

/**
 * The event stream over one WebSocket, authenticated by the subprotocol list ['bearer', token] (never a token in the
 * URL). Reconnects with backoff and resumes after the last seq seen; duplicates are dropped by seq.
 */
export class EventSocket {
  private ws: WebSocketLike | null = null;
  private readonly seqs = new SeqFilter();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** the server restarted under us: the next connection replays its whole buffer (`?since=0`) */
  private replayAll = false;

  constructor(private readonly o: EventSocketOptions) {
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = null;
  }

  private connect(): void {
    if (this.closed) return;
    this.o.onState(this.attempt === 0 && this.seqs.lastSeq === 0 ? 'connecting' : 'reconnecting');
    const since = this.seqs.lastSeq > 0 ? this.seqs.lastSeq : this.replayAll ? 0 : null;
    this.replayAll = false;
    let ws: WebSocketLike;
    const usedToken = this.o.token();
    try {
      ws = (this.o.webSocket ?? browserWebSocket)(this.o.url(since), ['bearer', usedToken]);
    } catch {
      this.retry(false);
      return;
    }
    this.ws = ws;
    ws.onerror = () => undefined;
    let opened = false;
    let first = true;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.o.onState('connected');
    };
    ws.onmessage = (msg) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(msg.data));
      } catch {
        return;
      }
      const event = parseEvent(raw);
      if (!event) return;
      // a restarted server counts from 1 again: its events are new, not duplicates; with replayRestartedServer the ones
      // it published before this connection are fetched by resuming once more from its very first buffered event
      if (first && since !== null && event.seq <= since && !this.o.replayRestartedServer) this.seqs.reset();
      else if (first && since !== null && event.seq <= since) {
        this.seqs.reset();
        this.replayAll = true;
        ws.onclose = null;
        ws.onmessage = null;
        ws.close(1000);
        this.ws = null;
        return this.connect();
      }
      first = false;
      if (this.seqs.accept(event.seq)) this.o.onEvent(event);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (e.code !== TOKEN_REVOKED) return this.retry(opened);
      this.o.onRevoked(usedToken).then(
        (renewed) => (renewed ? this.connect() : this.stopUnauthorised()),
        () => this.retry(false),
      );
    };
  }

  private retry(wasOpen: boolean): void {
    if (this.closed) return;
    this.o.onState('reconnecting');
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] * (0.8 + Math.random() * 0.4);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (wasOpen) return this.connect();
      // the upgrade failed before opening: a rejected token looks the same as a dead server from here
      this.o.tokenStillValid().then(
        (valid) => (valid ? this.connect() : this.stopUnauthorised()),
        () => this.connect(),
      );
    }, delay);
  }

  private stopUnauthorised(): void {
    this.close();
    this.o.onUnauthorised();
  }
}
