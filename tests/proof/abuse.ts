// Limits under abuse, as measurements the suite (tests/proof/abuse-limits.test.ts) and the bench (bench/proof.bench.ts)
// share: oversized bodies, slow clients, oversized WebSocket frames, failed-login floods, connection churn.
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { rawCall } from './raw-http';

/** Bodies over 1 MiB, with Content-Length and streamed (chunked), through `fetch`: how many 413s arrived, how many resets. */
export async function oversizedBodies(o: {
  url: string;
  token: string;
  rounds: number;
}): Promise<{ sent: number; got413: number; other: string[] }> {
  const sizes = [1024 * 1024 + 1, 2 * 1024 * 1024, 6 * 1024 * 1024, 12 * 1024 * 1024];
  const other: string[] = [];
  let sent = 0;
  let got413 = 0;
  for (let i = 0; i < o.rounds; i++) {
    for (const size of sizes) {
      for (const streamed of [false, true]) {
        sent++;
        const bytes = Buffer.alloc(size, 0x20);
        bytes[0] = 0x7b; // '{' — the body is refused for its size, never parsed
        const body = streamed
          ? new ReadableStream({
              start(c) {
                for (let at = 0; at < size; at += 64 * 1024) c.enqueue(bytes.subarray(at, at + 64 * 1024));
                c.close();
              },
            })
          : bytes;
        try {
          const res = await fetch(`${o.url}/api/v1/bot/config`, {
            method: 'PUT',
            headers: { Authorization: `Bearer ${o.token}`, 'Content-Type': 'application/json' },
            body,
            ...(streamed ? { duplex: 'half' } : {}),
          } as RequestInit);
          const text = await res.text();
          if (res.status === 413 && JSON.parse(text).success === false) got413++;
          else other.push(`${size}${streamed ? ' streamed' : ''}: ${res.status}`);
        } catch (e) {
          const cause = (e as { cause?: { code?: string; message?: string } }).cause;
          other.push(`${size}${streamed ? ' streamed' : ''}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
        }
      }
    }
  }
  return { sent, got413, other };
}

/**
 * A client that sends its request a byte at a time (`part`: the headers, or a body after complete headers) and never
 * finishes: how long until the server cut it off, and what it answered (408, or nothing).
 */
export function slowClient(o: {
  port: number;
  part: 'headers' | 'body';
  byteEveryMs: number;
  giveUpMs: number;
  token?: string;
}): Promise<{ cutAfterMs: number | null; answer: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect(o.port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    // with the token, so the server reads the body rather than answering 401 at the headers
    const auth = o.token ? `Authorization: Bearer ${o.token}\r\n` : '';
    const head = `PUT /api/v1/bot/config HTTP/1.1\r\nHost: 127.0.0.1:${o.port}\r\n${auth}Content-Type: application/json\r\nContent-Length: 100000\r\n`;
    const drip = o.part === 'headers' ? 'X-Slow: ' + 'a'.repeat(100_000) : '{"a":"' + 'b'.repeat(100_000);
    let at = 0;
    s.on('connect', () => {
      if (o.part === 'body') s.write(`${head}\r\n`);
      else s.write(head);
      timer = setInterval(() => {
        if (!s.writable) return;
        s.write(drip[at++ % drip.length]);
      }, o.byteEveryMs);
    });
    s.on('data', (d: Buffer) => (answer += d.toString()));
    const done = (cut: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      s.destroy();
      resolve({ cutAfterMs: cut ? performance.now() - t0 : null, answer: answer.split('\r\n')[0] ?? '' });
    };
    s.on('close', () => done(true));
    s.on('error', () => undefined);
    const giveUp = setTimeout(() => done(false), o.giveUpMs);
  });
}

/** A frame over the stream's maxPayload: the close code the client gets. */
export async function oversizedFrame(o: { wsUrl: string; token: string; bytes: number }): Promise<number> {
  const ws = new WebSocket(o.wsUrl, { headers: { Authorization: `Bearer ${o.token}` } });
  await new Promise((ok, fail) => {
    ws.once('open', ok);
    ws.once('error', fail);
  });
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.send(Buffer.alloc(o.bytes, 0x61));
  return closed;
}

/** `requests` failed logins (bad session codes and wrong tokens, `concurrency` at a time): the statuses they got. */
export async function failedLoginFlood(o: {
  port: number;
  requests: number;
  concurrency: number;
}): Promise<Record<number | string, number>> {
  const counts: Record<number | string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < o.requests) {
      const i = next++;
      const r =
        i % 2 === 0
          ? await rawCall(
              { host: '127.0.0.1', port: o.port },
              {
                method: 'POST',
                path: '/api/v1/session',
                headers: { Host: `127.0.0.1:${o.port}`, 'Content-Type': 'application/json' },
                payload: JSON.stringify({ code: `wrong-${i}` }),
              },
            )
          : await rawCall(
              { host: '127.0.0.1', port: o.port },
              {
                method: 'GET',
                path: '/api/v1/bot/status',
                headers: { Host: `127.0.0.1:${o.port}`, Authorization: `Bearer wrong-token-${i}` },
              },
            );
      const key = r.ok ? r.status : r.error;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return counts;
}

const openFds = () => readdirSync('/proc/self/fd').length;
let gcReady = false;
/** a full collection, so heap figures compare what is alive, not what is not yet collected */
export function collectGarbage(): void {
  if (!gcReady) {
    setFlagsFromString('--expose-gc');
    gcReady = true;
  }
  (runInNewContext('gc') as () => void)();
}

/**
 * `connections` TCP connections to the server, `batch` at a time, each dropped in one of the ways clients drop: right
 * away, mid-headers, after a full request without reading, after a WebSocket upgrade request. The server and this
 * process share /proc/self: open descriptors and the heap are compared with the baseline once everything is closed.
 */
export async function connectionChurn(o: {
  port: number;
  token: string;
  connections: number;
  batch: number;
  serverConnections: () => Promise<number>;
}): Promise<{
  fdsBefore: number;
  fdsAfter: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  serverConnectionsAfter: number;
  ms: number;
}> {
  collectGarbage();
  const fdsBefore = openFds();
  const heapBeforeMb = process.memoryUsage().heapUsed / 2 ** 20;
  const t0 = performance.now();
  const host = `Host: 127.0.0.1:${o.port}\r\n`;
  const ways = [
    '',
    'GET /api/v1/bot/stat',
    `GET /api/v1/bot/status HTTP/1.1\r\n${host}Authorization: Bearer ${o.token}\r\n\r\n`,
    `GET /ws/events HTTP/1.1\r\n${host}Authorization: Bearer ${o.token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    `POST /api/v1/session HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{"code":`,
  ];
  for (let done = 0; done < o.connections; done += o.batch) {
    const n = Math.min(o.batch, o.connections - done);
    await Promise.all(
      Array.from(
        { length: n },
        (_, i) =>
          new Promise<void>((resolve) => {
            const s: Socket = connect(o.port, '127.0.0.1');
            s.on('error', () => undefined);
            s.on('close', () => resolve());
            s.on('connect', () => {
              const way = ways[(done + i) % ways.length];
              if (way) s.write(way);
              // a moment for the server to take what was sent, then the client is gone
              setTimeout(() => s.destroy(), way ? 5 : 0);
            });
          }),
      ),
    );
  }
  const ms = performance.now() - t0;
  // the server sees each close a moment after the client
  let serverConnectionsAfter = await o.serverConnections();
  for (let i = 0; i < 100 && serverConnectionsAfter > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    serverConnectionsAfter = await o.serverConnections();
  }
  collectGarbage();
  return {
    fdsBefore,
    fdsAfter: openFds(),
    heapBeforeMb,
    heapAfterMb: process.memoryUsage().heapUsed / 2 ** 20,
    serverConnectionsAfter,
    ms,
  };
}
