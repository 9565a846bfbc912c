/** `botdesk events`: follows the stream until Ctrl-C (exit 0) or a refused token (exit 1); reconnects resume by seq. */
import type { BotClient } from '../../../src-shared/api-client/bot-client';
import { EVENT_TYPES, type BotEvent, type EventType } from '../../../src-shared/contract';
import { EXIT, UsageError } from './errors';
import { eventLine } from './event-lines';

export function parseEventTypes(text: string | undefined): EventType[] | undefined {
  if (text === undefined) return undefined;
  const types = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.filter((t) => !(EVENT_TYPES as string[]).includes(t));
  if (unknown.length || !types.length)
    throw new UsageError(`--types takes a comma-separated list of ${EVENT_TYPES.join(', ')} (got "${text}")`);
  return types as EventType[];
}

export interface FollowOptions {
  client: BotClient;
  types: EventType[] | undefined;
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  /** aborted by SIGINT/SIGTERM: a clean end */
  signal?: AbortSignal;
  /** said when the token stops being accepted */
  refusedLine: string;
}

export async function followEvents(o: FollowOptions): Promise<number> {
  // one plain call first: a wrong URL or token fails here with the usual message instead of retrying forever
  await o.client.getStatus();
  if (o.signal?.aborted) return EXIT.ok;
  return new Promise<number>((resolve) => {
    let lost = false;
    const finish = (code: number) => {
      unsubscribe();
      stopWatching();
      o.signal?.removeEventListener('abort', onAbort);
      o.client.close();
      resolve(code);
    };
    const onAbort = () => finish(EXIT.ok);
    const unsubscribe = o.client.subscribe(o.types, (e: BotEvent) => o.out(`${o.json ? JSON.stringify(e) : eventLine(e)}\n`));
    const stopWatching = o.client.connection.subscribe((state) => {
      if (state === 'unauthorised') {
        o.err(`${o.refusedLine}\n`);
        finish(EXIT.refused);
      } else if (state === 'reconnecting' && !lost) {
        lost = true;
        o.err('botdesk: the event stream dropped; reconnecting (nothing is lost: it resumes after the last event seen)\n');
      } else if (state === 'connected' && lost) {
        lost = false;
        o.err('botdesk: reconnected\n');
      }
    });
    o.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
