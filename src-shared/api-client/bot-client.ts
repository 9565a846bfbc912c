import {
  operations,
  type BotClientCalls,
  type BotEvent,
  type EventType,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from '../contract';
import type { ConnectionState } from './connection-state';
import type { Observable } from './observable';

export type BotEventListener = (event: BotEvent) => void;

/** What a transport (IPC bridge or HTTP + WebSocket) provides; everything else is derived from the operation table. */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  /** resolves with the operation's output, rejects with an ApiError */
  call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>>;
  /** events in seq order without duplicates; `types` undefined = all */
  subscribe(types: EventType[] | undefined, listener: BotEventListener): () => void;
  readonly connection: Observable<ConnectionState>;
  close(): void;
}

/** The dashboard's only door to the bot: every operation as a typed async function, plus the event stream. */
export type BotClient = BotClientCalls & Pick<Transport, 'kind' | 'subscribe' | 'connection' | 'close'>;

export function createBotClient(transport: Transport): BotClient {
  const calls = {} as Record<OperationName, (input?: unknown) => Promise<unknown>>;
  for (const name of Object.keys(operations) as OperationName[]) {
    calls[name] = (input) => transport.call(name, input as OperationInput<typeof name>);
  }
  return {
    ...(calls as unknown as BotClientCalls),
    kind: transport.kind,
    subscribe: (types, listener) => transport.subscribe(types, listener),
    connection: transport.connection,
    close: () => transport.close(),
  };
}

/** Listeners registered per event type filter, shared by both transports. */
export class ListenerSet {
  private readonly entries = new Set<{ types: Set<EventType> | null; listener: BotEventListener }>();

  add(types: EventType[] | undefined, listener: BotEventListener): () => void {
    const entry = { types: types ? new Set(types) : null, listener };
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  emit(event: BotEvent): void {
    for (const { types, listener } of [...this.entries]) {
      if (types && !types.has(event.type)) continue;
      try {
        listener(event);
      } catch (e) {
        // one broken view must not stop the others from hearing about the bot
        console.error('event listener failed', e);
      }
    }
  }
}
