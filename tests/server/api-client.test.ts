// The typed client the dashboard uses, run under Node against the real server: the same code the terminal client and
// the fleet manager call (fetch for operations, the `ws` package for the event stream).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError } from '../../src-shared/api-client/api-error';
import { createBotClient, type BotClient } from '../../src-shared/api-client/bot-client';
import { createHttpTransport } from '../../src-shared/api-client/http.transport';
import type { WebSocketLike } from '../../src-shared/api-client/event-socket';
import type { BotEvent } from '../../src-shared/contract';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { waitFor } from '../helpers/wait';

const nodeWebSocket = (url: string, protocols: string[]) => new WebSocket(url, protocols) as unknown as WebSocketLike;

describe('api client under Node', () => {
  let api: ApiHarness;
  let client: BotClient;
  beforeAll(async () => {
    api = await startApi({ replaySpeed: 50 });
    client = createBotClient(createHttpTransport({ origin: api.url, token: api.token, webSocket: nodeWebSocket }));
  });
  afterAll(async () => {
    client.close();
    await api.close();
  });

  it('calls operations and follows the event stream', async () => {
    const status = await client.getStatus();
    expect(status.state).toBeTypeOf('string');
    const events: BotEvent[] = [];
    client.subscribe(undefined, (e) => events.push(e));
    await client.startBot();
    await waitFor(
      () => events.some((e) => e.type === 'status_change') && events.some((e) => e.type === 'log'),
      'a status change and a log record over the stream',
    );
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(client.connection.get()).toBe('connected');
  });

  it('turns refusals into ApiError with the field named', async () => {
    const err = await client.updateConfig({ body: { stop_loss_pct: -1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect(Object.keys((err as ApiError).fields)).toContain('stop_loss_pct');
  });

  it('reports a wrong token and an unreachable server plainly', async () => {
    const wrong = createBotClient(createHttpTransport({ origin: api.url, token: 'x'.repeat(43), webSocket: nodeWebSocket }));
    const denied = (await wrong.getStatus().catch((e: unknown) => e)) as ApiError;
    expect(denied.status).toBe(401);
    expect(wrong.connection.get()).toBe('unauthorised');
    const gone = createBotClient(createHttpTransport({ origin: 'http://127.0.0.1:1', token: api.token }));
    const unreachable = (await gone.getStatus().catch((e: unknown) => e)) as ApiError;
    expect(unreachable.status).toBe(0);
  });
});
