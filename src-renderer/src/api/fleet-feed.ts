import type { BotDeskBridge, FleetEventData } from '../../../src-shared/contract';
import type { ConnectionState } from '../../../src-shared/api-client/connection-state';
import { parseEvent, SeqFilter } from '../../../src-shared/api-client/event-parsing';
import { EventSocket } from '../../../src-shared/api-client/event-socket';
import { observable, type Observable } from '../../../src-shared/api-client/observable';

/** The hub's `fleet` events: rows, alerts and every managed bot's own events, from one stream. */
export interface FleetFeed {
  subscribe(listener: (data: FleetEventData) => void): () => void;
  readonly connection: Observable<ConnectionState>;
  close(): void;
}

function feedOf(start: (emit: (raw: unknown) => void) => () => void, connection: Observable<ConnectionState>): FleetFeed {
  const listeners = new Set<(data: FleetEventData) => void>();
  const stop = start((raw) => {
    const event = parseEvent(raw);
    if (event?.type !== 'fleet') return;
    for (const l of [...listeners]) l(event.data);
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connection,
    close: stop,
  };
}

/**
 * Browser: /ws/fleet on the page's own server, same token and resume rules as the bot's stream. `token` is read at each
 * connection: a token this page rotated is picked up, and a stream closed by the rotation comes back with it.
 */
export function createHttpFleetFeed({ origin, token }: { origin: string; token: () => string }): FleetFeed {
  const connection = observable<ConnectionState>('connecting');
  return feedOf((emit) => {
    const socket = new EventSocket({
      url: (since) => `${origin.replace(/^http/, 'ws')}/ws/fleet${since !== null ? `?since=${since}` : ''}`,
      token,
      // EventSocket parses and de-duplicates; the feed re-checks the type
      onEvent: (event) => emit(event),
      onState: (state) => connection.set(state),
      tokenStillValid: async () =>
        (await fetch(`${origin}/api/v1/fleet`, { headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store' })).status !== 401,
      onUnauthorised: () => connection.set('unauthorised'),
      // the server closes the stream (4401) before the rotation's answer reaches the page: give that answer a moment
      onRevoked: async (usedToken) => {
        for (let waited = 0; token() === usedToken && waited < 3000; waited += 100) await new Promise((r) => setTimeout(r, 100));
        return token() !== usedToken;
      },
    });
    return () => socket.close();
  }, connection);
}

/** Desktop: the same events over the preload bridge. */
export function createIpcFleetFeed(bridge: BotDeskBridge): FleetFeed {
  const seqs = new SeqFilter();
  return feedOf(
    (emit) =>
      bridge.subscribe({ feed: 'fleet' }, (raw) => {
        if (seqs.accept((raw as { seq: number }).seq)) emit(raw);
      }),
    observable<ConnectionState>('connected'),
  );
}
