/**
 * The IPC adapter: the same operations as the HTTP routes, for the desktop window's preload bridge.
 * No electron import, so it runs (and is tested) under plain Node; main wires it to the real ipcMain.
 */
import {
  errorBody,
  EVENT_TYPES,
  IPC_CHANNELS,
  ServiceError,
  type BridgeResult,
  type EventType,
  type OperationHandlers,
  type OperationName,
} from '../../src-shared/contract';
import { isOperationName, runOperation, type RawInput } from '../operations/invoke-operation';
import type { EventFeed } from '../engine/events/event-bus';

/** What the router needs of a webContents. */
export interface IpcSender {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcInvokeEvent {
  sender: IpcSender;
  senderFrame?: { url: string; parent?: unknown } | null;
}

/** The subset of Electron's ipcMain the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcRouterOptions {
  ipc: IpcMainLike;
  handlers: OperationHandlers;
  events: EventFeed;
  /** the fleet manager's events, for subscriptions with `feed: 'fleet'` */
  fleetEvents?: EventFeed;
  /** only the app's own top-level page may call (checked on every call) */
  isTrustedSender(event: IpcInvokeEvent): boolean;
  onError?(message: string): void;
}

const TYPES = new Set<string>(EVENT_TYPES);
const failure = (status: number, error: string, fields?: Record<string, string>): BridgeResult<OperationName> => ({
  ok: false,
  status,
  body: errorBody(error, fields),
});

const INPUT_KEYS = new Set(['params', 'query', 'body', 'if_match']);

/** the envelope only; what is inside is parsed by the operation's own schemas */
function checkInput(input: unknown): string | null {
  if (input === undefined) return null;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'The input must be an object {params, query, body, if_match}.';
  const extra = Object.keys(input).find((k) => !INPUT_KEYS.has(k));
  if (extra !== undefined) return `Unknown input key ${JSON.stringify(extra)}: use params, query, body or if_match.`;
  const ifMatch = (input as RawInput).if_match;
  if (ifMatch !== undefined && (typeof ifMatch !== 'string' || ifMatch.length > 64)) return 'if_match must be a version string.';
  return null;
}

interface Subscription {
  key: string;
  types: Set<EventType> | null;
  since: number | null;
  feed: 'bot' | 'fleet';
}

/** `key` is chosen by the preload before it asks, so events replayed at once already have a listener waiting */
function parseSubscription(raw: unknown): Subscription | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'subscription options must be an object';
  const { key, types, since, feed, ...rest } = raw as { key?: unknown; types?: unknown; since?: unknown; feed?: unknown };
  if (Object.keys(rest).length) return `unknown subscription option ${Object.keys(rest)[0]}`;
  if (typeof key !== 'string' || !/^[\w-]{1,64}$/.test(key)) return 'key must be a short identifier';
  if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !TYPES.has(t))))
    return 'types must list known event types';
  if (since !== undefined && (typeof since !== 'number' || !Number.isInteger(since) || since < 0))
    return 'since must be a non-negative integer';
  if (feed !== undefined && feed !== 'bot' && feed !== 'fleet') return 'feed must be "bot" or "fleet"';
  return { key, types: types ? new Set(types as EventType[]) : null, since: (since as number | undefined) ?? null, feed: feed ?? 'bot' };
}

/** Registers botdesk:call / botdesk:subscribe / botdesk:unsubscribe; returns a function that removes them. */
export function registerIpcRouter(o: IpcRouterOptions): () => void {
  /** by `${webContents id}:${key}` */
  const subscriptions = new Map<string, { sender: IpcSender; unsubscribe: () => void }>();
  /** webContents ids whose 'destroyed' hook is in place: one listener per page, not one per subscription */
  const watched = new Set<number>();

  const drop = (id: string) => {
    subscriptions.get(id)?.unsubscribe();
    subscriptions.delete(id);
  };

  o.ipc.handle(IPC_CHANNELS.call, async (event, name, input) => {
    if (!o.isTrustedSender(event)) return failure(403, 'This frame may not control the bot.');
    if (!isOperationName(name)) return failure(404, `There is no operation ${JSON.stringify(name)}.`);
    const bad = checkInput(input);
    if (bad) return failure(400, bad);
    try {
      const data = await runOperation(o.handlers, name, (input ?? {}) as RawInput, { actor: 'ipc' });
      return { ok: true, data };
    } catch (e) {
      if (e instanceof ServiceError) return { ok: false, status: e.status, body: e.toBody() };
      o.onError?.(`ipc ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      return failure(500, 'Internal error; the bot logged the details.');
    }
  });

  o.ipc.handle(IPC_CHANNELS.subscribe, (event, options) => {
    if (!o.isTrustedSender(event)) return failure(403, 'This frame may not subscribe to events.');
    const parsed = parseSubscription(options);
    if (typeof parsed === 'string') return failure(400, `Invalid subscription: ${parsed}.`);
    const sender = event.sender;
    const id = `${sender.id}:${parsed.key}`;
    if (subscriptions.has(id)) return failure(409, 'That subscription key is in use.');
    const key = parsed.key;
    const deliver = (type: EventType, json: string) => {
      if (sender.isDestroyed()) return drop(id);
      if (!parsed.types || parsed.types.has(type)) sender.send(IPC_CHANNELS.event, { key, json });
    };
    const feed = parsed.feed === 'fleet' ? o.fleetEvents : o.events;
    if (!feed) return failure(404, 'There is no fleet feed in this app.');
    // replay and subscription in one tick: no gap, no duplicate
    if (parsed.since !== null) for (const { type, json } of feed.since(parsed.since)) deliver(type, json);
    const unsubscribe = feed.subscribe((e, json) => deliver(e.type, json), { first: true });
    subscriptions.set(id, { sender, unsubscribe });
    if (!watched.has(sender.id)) {
      watched.add(sender.id);
      sender.once('destroyed', () => {
        watched.delete(sender.id);
        for (const [other, sub] of [...subscriptions]) if (sub.sender === sender) drop(other);
      });
    }
    return { ok: true, data: { key } };
  });

  o.ipc.handle(IPC_CHANNELS.unsubscribe, (event, key) => {
    if (typeof key !== 'string') return { ok: false };
    const id = `${event.sender.id}:${String(key)}`;
    if (!subscriptions.has(id)) return { ok: false };
    drop(id);
    return { ok: true };
  });

  return () => {
    for (const channel of [IPC_CHANNELS.call, IPC_CHANNELS.subscribe, IPC_CHANNELS.unsubscribe]) o.ipc.removeHandler(channel);
    for (const id of [...subscriptions.keys()]) drop(id);
  };
}
