/**
 * One remote BotDesk server as a fleet member: one typed API client and one event stream (reconnect with `?since=`
 * resume, duplicates dropped by seq: src-shared/api-client), plus health (connection, round trip, last event) and
 * the bot's status kept current from its own events.
 */
import WebSocket from 'ws';
import {
  ServiceError,
  StatusSchema,
  type BotEvent,
  type BotOperationName,
  type CallerContext,
  type FleetBot,
  type FleetConnection,
  type FleetHealth,
  type OperationInput,
  type OperationOutput,
  type Status,
} from '../../src-shared/contract';
import { ApiError, isApiError } from '../../src-shared/api-client/api-error';
import { createBotClient, type BotClient } from '../../src-shared/api-client/bot-client';
import type { ConnectionState } from '../../src-shared/api-client/connection-state';
import type { WebSocketLike } from '../../src-shared/api-client/event-socket';
import { createHttpTransport } from '../../src-shared/api-client/http.transport';
import type { RawInput } from '../operations/invoke-operation';
import { eventAlert, type FleetMember, type MemberListener } from './fleet-member';
import type { StoredBot } from './fleet-store';

/** the server pings every 30 s: this long without a ping or a message means the link is dead (see below) */
const STREAM_SILENCE_MS = 75_000;

/**
 * The `ws` package's WebSocket for the event stream, cut when the server falls silent. A dropped VPN or a sleeping
 * laptop leaves the TCP connection open with nothing arriving and no error ever raised; without this the stream
 * would wait forever. Cutting it makes the socket reconnect and resume with `?since=`, as after any drop.
 */
function silenceGuardedWebSocket(silenceMs: number) {
  return (url: string, protocols: string[]): WebSocketLike => {
    // an upgrade nobody answers is as dead as a silent stream
    const ws = new WebSocket(url, protocols, { handshakeTimeout: silenceMs });
    let timer: ReturnType<typeof setTimeout> | null = null;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => ws.terminate(), silenceMs);
      timer.unref();
    };
    ws.on('open', arm);
    ws.on('ping', arm);
    ws.on('message', arm);
    ws.on('close', () => timer && clearTimeout(timer));
    return ws as unknown as WebSocketLike;
  };
}
const nodeWebSocket = silenceGuardedWebSocket(STREAM_SILENCE_MS);
const PROBE_TIMEOUT_MS = 5000;
/** long enough for a live close-all on a slow exchange, short enough that a fleet-wide action finishes */
const CALL_TIMEOUT_MS = 20_000;

export interface RemoteBotOptions {
  stored: StoredBot;
  token: string;
  listener: MemberListener;
  /** round-trip probe interval */
  probeEveryMs?: number;
  /** a call still unanswered after this is reported unreachable (a dropped VPN must not hang pause-all) */
  requestTimeoutMs?: number;
  /** the event stream is cut and resumed after this long without a ping or a message (default 75 s) */
  streamSilenceMs?: number;
  now?: () => number;
}

/** The remote could not be reached at all (refused, reset, timed out): reported as such in fleet-wide actions. */
export class UnreachableError extends ServiceError {
  constructor(message: string) {
    super(502, message);
  }
}

/** An error from a remote bot, as the hub's own answer: the bot is named, the remote's status kept where it fits. */
export function remoteFailure(e: unknown, name: string): ServiceError {
  if (!isApiError(e)) return new ServiceError(502, `${name}: ${(e as Error).message}`);
  if (e.status === 0) {
    const late = /did not answer/.test(e.message);
    return new UnreachableError(
      late ? `${name} ${e.message.replace(/^The bot /, '')}` : `${name} cannot be reached; is its server running (and its tunnel open)?`,
    );
  }
  if (e.status === 401)
    return new ServiceError(
      502,
      `${name} refused the hub's token (was it rotated?); remove the bot and add it again with its current token.`,
    );
  if (e.status === 400 || e.status === 403 || e.status === 404 || e.status === 409 || e.status === 502) {
    return new ServiceError(e.status, `${name}: ${e.message}`, Object.keys(e.fields).length ? e.fields : undefined);
  }
  return new ServiceError(502, `${name} answered ${e.status}: ${e.message}`);
}

export type ProbeResult = { ok: true; status: Status } | { ok: false; field: 'url' | 'token'; httpStatus: 400 | 502; message: string };

/**
 * Is there a BotDesk server at `origin`, and does it take this token? One clear sentence for each way it is not:
 * nothing answers, something answers that is not BotDesk, or the token is refused.
 */
export async function probeRemote(origin: string, token: string): Promise<ProbeResult> {
  let res: Response;
  try {
    res = await fetch(`${origin}/api/v1/health`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      headers: { Accept: 'application/json' },
    });
  } catch {
    return {
      ok: false,
      field: 'url',
      httpStatus: 502,
      message: `Nothing answered at ${origin} within ${PROBE_TIMEOUT_MS / 1000} s: check that the server runs (npm run serve) and, through a tunnel, that the ssh -N -L command is still running.`,
    };
  }
  const text = await res.text().catch(() => '');
  let health: unknown = null;
  try {
    health = JSON.parse(text);
  } catch {
    // not JSON: judged below
  }
  const isBotDesk =
    res.ok &&
    typeof health === 'object' &&
    health !== null &&
    (health as { status?: unknown }).status === 'ok' &&
    Object.keys(health).length === 1;
  if (!isBotDesk) {
    if (res.status === 403 && /Host/.test(text)) {
      return {
        ok: false,
        field: 'url',
        httpStatus: 400,
        message: `The BotDesk server at ${origin} refused the Host header; reach it through an SSH tunnel to its loopback address or update it.`,
      };
    }
    return {
      ok: false,
      field: 'url',
      httpStatus: 400,
      message: `${origin} answered, but it is not a BotDesk server (GET /api/v1/health did not say {"status":"ok"}).`,
    };
  }
  const client = createBotClient(createHttpTransport({ origin, token, webSocket: nodeWebSocket }));
  try {
    const status = StatusSchema.safeParse(await client.getStatus());
    if (!status.success)
      return {
        ok: false,
        field: 'url',
        httpStatus: 400,
        message: `${origin} answers like BotDesk but its status is not one this version understands; update one of the two.`,
      };
    return { ok: true, status: status.data };
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(0, String(e));
    if (err.status === 401)
      return {
        ok: false,
        field: 'token',
        httpStatus: 400,
        message: `The server at ${origin} refused this token: copy it again from the api-token file in the server's data directory (e.g. ~/.config/botdesk/api-token).`,
      };
    if (err.status === 429)
      return {
        ok: false,
        field: 'token',
        httpStatus: 400,
        message: `The server at ${origin} refuses more attempts for a minute after too many wrong tokens; wait, then try again.`,
      };
    if (err.status === 0)
      return { ok: false, field: 'url', httpStatus: 502, message: `${origin} stopped answering during the check; try again.` };
    return { ok: false, field: 'url', httpStatus: 400, message: `${origin} refused the status request: ${err.message}` };
  } finally {
    client.close();
  }
}

export class RemoteBot implements FleetMember {
  readonly kind = 'remote' as const;
  readonly id: string;
  name: string;
  readonly url: string;
  readonly link: StoredBot['link'];
  private readonly client: BotClient;
  private readonly now: () => number;
  private status: Status | null = null;
  private readonly health: FleetHealth = { connection: 'connecting', latency_ms: null, last_event_at: null, last_seq: null, error: null };
  private readonly stopEvents: () => void;
  private readonly stopConnection: () => void;
  private readonly probeTimer: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(private readonly o: RemoteBotOptions) {
    this.id = o.stored.id;
    this.name = o.stored.name;
    this.url = o.stored.url;
    this.link = o.stored.link;
    this.now = o.now ?? Date.now;
    this.client = createBotClient(
      createHttpTransport({
        origin: this.url,
        token: o.token,
        replayRestartedServer: true,
        webSocket: o.streamSilenceMs === undefined ? nodeWebSocket : silenceGuardedWebSocket(o.streamSilenceMs),
        requestTimeoutMs: o.requestTimeoutMs ?? CALL_TIMEOUT_MS,
      }),
    );
    this.stopEvents = this.client.subscribe(undefined, (e) => this.onEvent(e));
    this.stopConnection = this.client.connection.subscribe((c) => this.onConnection(c));
    this.probeTimer = setInterval(() => void this.probe(), o.probeEveryMs ?? 5000);
    this.probeTimer.unref();
    void this.probe();
  }

  row(): FleetBot {
    return {
      id: this.id,
      name: this.name,
      kind: 'remote',
      url: this.url,
      link: this.link,
      status: this.status,
      today_pnl: this.status?.today_pnl ?? null,
      health: { ...this.health },
    };
  }

  async call<N extends BotOperationName>(name: N, raw: RawInput, _caller: CallerContext): Promise<OperationOutput<N>> {
    try {
      return (await this.client[name](raw as OperationInput<N> as never)) as OperationOutput<N>;
    } catch (e) {
      throw remoteFailure(e, this.name);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.probeTimer);
    this.stopEvents();
    this.stopConnection();
    this.client.close();
  }

  private onEvent(e: BotEvent): void {
    this.health.last_event_at = this.now();
    this.health.last_seq = e.seq;
    this.o.listener.event(this.id, e);
    const alert = eventAlert(this, this.status, e);
    if (alert) this.o.listener.alert(alert);
    if (e.type === 'status_change') {
      this.status = e.data;
      this.o.listener.changed(this.id);
    }
  }

  private onConnection(c: ConnectionState): void {
    const before = this.health.connection;
    const next: FleetConnection =
      c === 'connected'
        ? 'connected'
        : c === 'unauthorised'
          ? 'unauthorised'
          : c === 'reconnecting'
            ? 'disconnected'
            : before === 'connecting'
              ? 'connecting'
              : before;
    if (next === before) return;
    this.health.connection = next;
    const alert = (kind: 'disconnected' | 'reconnected' | 'unauthorised', message: string) =>
      this.o.listener.alert({ bot_id: this.id, name: this.name, kind, message });
    if (next === 'connected') {
      this.health.error = null;
      if (before === 'disconnected') alert('reconnected', `${this.name} is connected again.`);
      void this.resync();
    } else if (next === 'disconnected') {
      this.health.error = `The connection to ${this.name} was lost; reconnecting.`;
      this.health.latency_ms = null;
      alert('disconnected', `${this.name} disconnected; reconnecting (nothing is lost: missed events are replayed).`);
    } else if (next === 'unauthorised') {
      this.health.error = `${this.name} refused the hub's token (was it rotated?); remove the bot and add it again with its current token.`;
      alert('unauthorised', this.health.error);
    }
    this.o.listener.changed(this.id);
  }

  /** after every (re)connection: events may have been missed while away, so the snapshot is read again */
  private async resync(): Promise<void> {
    try {
      const status = await this.client.getStatus();
      if (this.closed) return;
      this.status = status;
      this.o.listener.changed(this.id);
    } catch {
      // the stream's own reconnect brings us back here
    }
  }

  private async probe(): Promise<void> {
    const t0 = performance.now();
    try {
      await this.client.getHealth();
      if (this.closed) return;
      this.health.latency_ms = Math.round((performance.now() - t0) * 10) / 10;
      this.o.listener.changed(this.id);
    } catch {
      this.health.latency_ms = null;
    }
  }
}
