import { operations, type EventType, type OperationInput, type OperationName, type OperationOutput } from '../contract';
import { ApiError } from './api-error';
import { ListenerSet, type BotEventListener, type Transport } from './bot-client';
import type { ConnectionState } from './connection-state';
import { EventSocket, type WebSocketFactory } from './event-socket';
import { observable } from './observable';
import { requestPath } from './request-url';

export interface HttpTransportOptions {
  /** http://host:port (the page's own origin in the browser) */
  origin: string;
  token: string;
  /** Node callers pass the `ws` package's WebSocket; browsers use their own */
  webSocket?: WebSocketFactory;
  /** the control token was rotated from this page: keep the new one (the session) so a reload still works */
  onTokenChange?(token: string): void;
  /** see EventSocketOptions.replayRestartedServer */
  replayRestartedServer?: boolean;
  /** give up on a call after this long (status 0, like an unreachable server); default: wait as long as fetch does */
  requestTimeoutMs?: number;
}

/** The HTTP transport: fetch for operations, one WebSocket for events (browser, or Node with `webSocket`). */
export function createHttpTransport({
  origin,
  token: firstToken,
  webSocket,
  onTokenChange,
  replayRestartedServer,
  requestTimeoutMs,
}: HttpTransportOptions): Transport {
  const connection = observable<ConnectionState>('connecting');
  const listeners = new ListenerSet();
  let token = firstToken;
  /** while a rotation is in flight, a refusal of the old token is expected and must not sign the page out */
  let rotation: Promise<unknown> | null = null;
  const authHeader = () => ({ Authorization: `Bearer ${token}` });

  const unauthorised = () => {
    socket?.close();
    connection.set('unauthorised');
  };

  async function send<N extends OperationName>(name: N, input: OperationInput<N> = {}): Promise<OperationOutput<N>> {
    const op = operations[name];
    const sentWith = token;
    const headers: Record<string, string> = { ...authHeader(), Accept: 'application/json' };
    let body: string | undefined;
    if (op.method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(input.body ?? {});
    }
    if (input.if_match !== undefined) headers['If-Match'] = input.if_match;
    let res: Response;
    try {
      const signal = requestTimeoutMs === undefined ? undefined : AbortSignal.timeout(requestTimeoutMs);
      res = await fetch(origin + requestPath(name, input), { method: op.method, headers, body, cache: 'no-store', signal });
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') throw new ApiError(0, `The bot did not answer within ${requestTimeoutMs! / 1000} s.`);
      throw new ApiError(0, 'The bot cannot be reached; is the server running?');
    }
    const payload: unknown = await res.json().catch(() => null);
    // a call sent with a token rotated away meanwhile is refused; the page itself is still signed in
    if (res.status === 401 && sentWith === token) unauthorised();
    if (!res.ok) throw ApiError.fromBody(res.status, payload);
    return payload as OperationOutput<N>;
  }

  function call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>> {
    if (name !== 'rotateToken') return send(name, input);
    const rotating = send('rotateToken', input as OperationInput<'rotateToken'>).then((out) => {
      adopt(out.token);
      return out;
    });
    rotation = rotating;
    void rotating
      .catch(() => undefined)
      .finally(() => {
        if (rotation === rotating) rotation = null;
      });
    return rotating as Promise<OperationOutput<N>>;
  }

  /** the server closed our stream (4401) when it rotated; the socket reconnects with the new token */
  function adopt(next: string): void {
    token = next;
    onTokenChange?.(next);
  }

  const wsOrigin = origin.replace(/^http/, 'ws');
  // opened on the first subscription: a one-shot caller (the terminal client) never opens a stream
  let socket: EventSocket | null = null;
  const openSocket = () =>
    new EventSocket({
      url: (since) => `${wsOrigin}/ws/events${since !== null ? `?since=${since}` : ''}`,
      token: () => token,
      onEvent: (event) => listeners.emit(event),
      onState: (state) => {
        if (connection.get() !== 'unauthorised') connection.set(state);
      },
      tokenStillValid: async () => {
        await rotation?.catch(() => undefined);
        const signal = requestTimeoutMs === undefined ? undefined : AbortSignal.timeout(requestTimeoutMs);
        const res = await fetch(`${origin}/api/v1/bot/status`, { headers: authHeader(), cache: 'no-store', signal });
        return res.status !== 401;
      },
      onUnauthorised: () => connection.set('unauthorised'),
      webSocket,
      // the stream closes (4401) before the rotation's answer arrives, or just after: either way the new token decides
      onRevoked: async (usedToken) => {
        await rotation?.catch(() => undefined);
        return token !== usedToken;
      },
      replayRestartedServer,
    });

  return {
    kind: 'http',
    call,
    subscribe: (types: EventType[] | undefined, listener: BotEventListener) => {
      socket ??= openSocket();
      return listeners.add(types, listener);
    },
    connection,
    close: () => socket?.close(),
  };
}
