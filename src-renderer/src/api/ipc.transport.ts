import type { BotDeskBridge, EventType, OperationInput, OperationName, OperationOutput } from '../../../src-shared/contract';
import { ApiError } from '../../../src-shared/api-client/api-error';
import { ListenerSet, type BotEventListener, type Transport } from '../../../src-shared/api-client/bot-client';
import type { ConnectionState } from '../../../src-shared/api-client/connection-state';
import { parseEvent, SeqFilter } from '../../../src-shared/api-client/event-parsing';
import { observable } from '../../../src-shared/api-client/observable';

/** The desktop transport: the preload's `window.botdesk` bridge; the main process is always there. */
export function createIpcTransport(bridge: BotDeskBridge): Transport {
  const connection = observable<ConnectionState>('connected');
  const listeners = new ListenerSet();
  const seqs = new SeqFilter();

  const unsubscribe = bridge.subscribe({}, (raw) => {
    const event = parseEvent(raw);
    if (event && seqs.accept(event.seq)) listeners.emit(event);
  });

  async function call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>> {
    let result: Awaited<ReturnType<BotDeskBridge['call']>>;
    try {
      result = await bridge.call(name, input);
    } catch (e) {
      throw new ApiError(0, `The app's main process did not answer: ${(e as Error).message}`);
    }
    if (result.ok) return result.data as OperationOutput<N>;
    throw ApiError.fromBody(result.status, result.body);
  }

  return {
    kind: 'ipc',
    call,
    subscribe: (types: EventType[] | undefined, listener: BotEventListener) => listeners.add(types, listener),
    connection,
    close: unsubscribe,
  };
}
