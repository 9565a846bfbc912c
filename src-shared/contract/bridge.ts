import type { EventType, BotEvent } from './events';
import type { ErrorBody } from './errors.schema';
import type { OperationInput, OperationName, OperationOutput } from './operations';

/** What one IPC call returns: errors travel as data because Electron flattens thrown errors to a string. */
export type BridgeResult<N extends OperationName> = { ok: true; data: OperationOutput<N> } | { ok: false; status: number; body: ErrorBody };

export interface BridgeSubscribeOptions {
  types?: EventType[];
  /** replay buffered events after this seq first (resume) */
  since?: number;
  /** 'fleet': the fleet manager's `fleet` events instead of the local bot's own */
  feed?: 'bot' | 'fleet';
}

/**
 * The only thing the preload exposes to the renderer, as `window.botdesk`.
 * The main process checks `name` against the operation table and parses `input` with the same zod schemas as HTTP.
 */
export interface BotDeskBridge {
  readonly kind: 'ipc';
  call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<BridgeResult<N>>;
  /** returns an unsubscribe function */
  subscribe(options: BridgeSubscribeOptions, listener: (event: BotEvent) => void): () => void;
}

export const IPC_CHANNELS = {
  call: 'botdesk:call',
  subscribe: 'botdesk:subscribe',
  unsubscribe: 'botdesk:unsubscribe',
  event: 'botdesk:event',
} as const;
