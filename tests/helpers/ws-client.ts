// A real `ws` client of the event stream for tests: collects events, exposes the close, and reads refused upgrades.
import WebSocket from 'ws';
import type { BotEvent } from '../../src-shared/contract';

export interface EventClient {
  ws: WebSocket;
  events: BotEvent[];
  closed: Promise<{ code: number; reason: string }>;
}

export interface Refusal {
  status: number;
  body: { success?: boolean; error?: string };
}

export type ClientOptions = WebSocket.ClientOptions & { protocols?: string[] };

/** resolves once open; rejects with `{refusal}` when the server answers the upgrade with an HTTP error */
export function connectEvents(url: string, opts: ClientOptions = {}): Promise<EventClient> {
  const { protocols, ...options } = opts;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols ?? [], options);
    const events: BotEvent[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    ws.on('message', (m) => events.push(JSON.parse(m.toString()) as BotEvent));
    ws.once('open', () => resolve({ ws, events, closed }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        reject(
          Object.assign(new Error(`upgrade refused: ${res.statusCode}`), {
            refusal: { status: res.statusCode, body: JSON.parse(text || '{}') },
          }),
        ),
      );
    });
    ws.once('error', reject);
  });
}

/** the HTTP answer to an upgrade that should not succeed (status 101 if it did) */
export async function upgradeRefusal(url: string, opts: ClientOptions = {}): Promise<Refusal> {
  try {
    const c = await connectEvents(url, opts);
    c.ws.terminate();
    return { status: 101, body: {} };
  } catch (e) {
    const r = (e as { refusal?: Refusal }).refusal;
    if (!r) throw e;
    return r;
  }
}
