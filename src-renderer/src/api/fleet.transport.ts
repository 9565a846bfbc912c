import type { EventType, FleetBot, OperationInput, OperationName, OperationOutput } from '../../../src-shared/contract';
import { ListenerSet, type BotClient, type BotEventListener, type Transport } from '../../../src-shared/api-client/bot-client';
import type { ConnectionState } from '../../../src-shared/api-client/connection-state';
import { parseEvent } from '../../../src-shared/api-client/event-parsing';
import { observable } from '../../../src-shared/api-client/observable';
import type { FleetFeed } from './fleet-feed';

const CONNECTION_OF: Record<FleetBot['health']['connection'], ConnectionState> = {
  local: 'connected',
  connected: 'connected',
  connecting: 'connecting',
  disconnected: 'reconnecting',
  unauthorised: 'unauthorised',
};

/**
 * One fleet bot as a Transport, so the existing dashboard views work on it unchanged: every call goes through the
 * hub (`callFleetBot`: the hub holds the bot's token), events come from the hub's fleet stream for that bot.
 */
export function createFleetBotTransport(o: {
  hub: BotClient;
  feed: FleetFeed;
  botId: string;
  initial: FleetBot['health']['connection'];
}): Transport {
  const listeners = new ListenerSet();
  let botState = CONNECTION_OF[o.initial];
  const connection = observable<ConnectionState>(botState);
  // the bot counts as connected only while both the hub's stream and the hub's link to the bot are up
  const update = () => connection.set(o.feed.connection.get() === 'connected' ? botState : 'reconnecting');
  const stopFeedState = o.feed.connection.subscribe(update);
  const stopFeed = o.feed.subscribe((data) => {
    if (data.kind === 'row' && data.bot.id === o.botId) {
      botState = CONNECTION_OF[data.bot.health.connection];
      update();
    } else if (data.kind === 'event' && data.bot_id === o.botId) {
      const event = parseEvent(data.event);
      if (event) listeners.emit(event);
    }
  });
  update();

  async function call<N extends OperationName>(name: N, input?: OperationInput<N>): Promise<OperationOutput<N>> {
    const answer = await o.hub.callFleetBot({ params: { id: o.botId }, body: { operation: name, input: input as never } });
    return answer.result as OperationOutput<N>;
  }

  return {
    kind: o.hub.kind,
    call,
    subscribe: (types: EventType[] | undefined, listener: BotEventListener) => listeners.add(types, listener),
    connection,
    close() {
      stopFeed();
      stopFeedState();
    },
  };
}
