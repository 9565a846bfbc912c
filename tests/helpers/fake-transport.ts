// A transport for the renderer's stores under Node: each operation answers from a handler the test sets, and every
// request and answer is checked against the operation table's schemas, so the fake cannot drift from what the server
// accepts and sends. A handler may hold its answer (`later()`) to put answers and events in the order a test needs.
import {
  BotEventSchema,
  operations,
  type BotEvent,
  type EventData,
  type EventType,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from '../../src-shared/contract';
import { createBotClient, ListenerSet, type BotClient, type Transport } from '../../src-shared/api-client/bot-client';
import { observable } from '../../src-shared/api-client/observable';
import type { ConnectionState } from '../../src-shared/api-client/connection-state';

type Handler<N extends OperationName> = (input: OperationInput<N> | undefined) => OperationOutput<N> | Promise<OperationOutput<N>>;

export interface Held<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** an answer the test releases when it chooses */
export function later<T>(): Held<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeBot {
  client: BotClient;
  /** what each operation answers from now on */
  answer<N extends OperationName>(name: N, handler: Handler<N>): void;
  /** every call made, in order, with its input */
  calls: { name: OperationName; input: unknown }[];
  callsOf(name: OperationName): unknown[];
  /** an event as the stream delivers it (seq numbered in order, checked against the event schema) */
  emit<T extends EventType>(type: T, data: EventData<T>): void;
  setConnection(state: ConnectionState): void;
}

export function fakeBot(initial: ConnectionState = 'connecting'): FakeBot {
  const handlers = new Map<OperationName, Handler<OperationName>>();
  const listeners = new ListenerSet();
  const connection = observable<ConnectionState>(initial);
  const calls: FakeBot['calls'] = [];
  let seq = 0;

  const transport: Transport = {
    kind: 'ipc',
    async call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>> {
      calls.push({ name, input });
      const def = operations[name] as (typeof operations)[OperationName] & { params?: unknown; query?: unknown; body?: unknown };
      const given = (input ?? {}) as { params?: unknown; query?: unknown; body?: unknown };
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = (def as Record<string, unknown>)[part] as { parse(v: unknown): unknown } | undefined;
        if (schema) schema.parse(given[part] ?? (part === 'query' ? {} : undefined));
      }
      const handler = handlers.get(name);
      if (!handler) throw new Error(`the test gave no answer for ${name}`);
      const output = await handler(input as never);
      return (def.output as { parse(v: unknown): unknown }).parse(output) as OperationOutput<N>;
    },
    subscribe: (types, listener) => listeners.add(types, listener),
    connection,
    close: () => undefined,
  };

  return {
    client: createBotClient(transport),
    answer(name, handler) {
      handlers.set(name, handler as Handler<OperationName>);
    },
    calls,
    callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
    emit(type, data) {
      const event = BotEventSchema.parse({ type, ts: Date.now(), seq: ++seq, data }) as BotEvent;
      listeners.emit(event);
    },
    setConnection: (state) => connection.set(state),
  };
}
