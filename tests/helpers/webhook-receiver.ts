// A webhook receiver for the notification tests: checks X-BotDesk-Signature the way the README tells a receiver to
// (its own HMAC, written here independently of the app's), and can hang, answer 500 or 429, go away and come back on
// the same port.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ReceiverMode = { kind: 'ok' } | { kind: 'hang' } | { kind: 'status'; status: number; retryAfter?: string };

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** null for an unsigned request */
  signatureOk: boolean | null;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  /** requests answered 2xx (what the receiver accepted), in order */
  accepted: Delivery[];
  /** every request that arrived, whatever it was answered */
  attempts: number;
  mode: ReceiverMode;
  /** answer the next n requests like this, then go back to `mode` */
  failNext(n: number, mode: ReceiverMode): void;
  /** stop listening (connections refused) / listen again on the same port */
  goAway(): Promise<void>;
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

/** `t=<ms>,v1=<hex>` checked against HMAC-SHA256("<t>.<body>"), within `toleranceMs` of now (a replay is refused) */
export function verifySignature(header: string | undefined, body: string, secret: string, toleranceMs = 300_000): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(Date.now() - t) > toleranceMs || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}

export async function startWebhookReceiver(o: { secret?: string } = {}): Promise<WebhookReceiver> {
  let server: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  const hanging = new Set<() => void>();
  let queued: { n: number; mode: ReceiverMode } = { n: 0, mode: { kind: 'ok' } };

  const r: WebhookReceiver = {
    url: '',
    port: 0,
    accepted: [],
    attempts: 0,
    mode: { kind: 'ok' },
    failNext(n, mode) {
      queued = { n, mode };
    },
    goAway: () =>
      new Promise((done) => {
        for (const release of hanging) release();
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
    comeBack: () => listen(),
    close: () => r.goAway(),
  };

  const listen = () =>
    new Promise<void>((done, fail) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          r.attempts++;
          let mode = r.mode;
          if (queued.n > 0) {
            queued.n--;
            mode = queued.mode;
          }
          if (mode.kind === 'hang') {
            // never answers; released (connection destroyed) when the receiver goes away
            hanging.add(() => res.destroy());
            return;
          }
          if (mode.kind === 'status') {
            res.writeHead(mode.status, mode.retryAfter ? { 'Retry-After': mode.retryAfter } : {});
            return res.end('{}');
          }
          const body = Buffer.concat(chunks).toString('utf8');
          const header = req.headers['x-botdesk-signature'] as string | undefined;
          const signatureOk = header === undefined ? null : o.secret ? verifySignature(header, body, o.secret) : false;
          if (o.secret && !signatureOk) {
            res.writeHead(401);
            return res.end('bad signature');
          }
          r.accepted.push({ headers: req.headers, body, json: JSON.parse(body), signatureOk, at: Date.now() });
          res.writeHead(204);
          res.end();
        });
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        r.port = port;
        r.url = `http://127.0.0.1:${port}/hook`;
        done();
      });
    });
  await listen();
  return r;
}
