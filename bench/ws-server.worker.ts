// One event server per process for the WebSocket benchmark: `bare` (a plain `ws` broadcast loop, one Buffer per event) or `botdesk`
// (the EventBus behind the real event stream module). Commands on stdin: `burst N`, `rate PER_SEC SECONDS`.
// Every event carries its send time (epoch ms, sub-ms precision) so clients in another process measure latency.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { EventBus } from '../src-main/engine/events/event-bus';
import { attachEventStream } from '../src-main/server/event-stream';
import { answerCpuQueries } from './pinning';

const variant = process.argv[2];
const server = createServer();
const now = () => performance.timeOrigin + performance.now();
const PADDING = 'x'.repeat(120); // a log event of typical size (~250 bytes)
const TEXT = { binary: false } as const;

let publish: (i: number) => void;
if (variant === 'bare') {
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  let seq = 0;
  publish = (i) => {
    // serialised once, the same bytes to every client (as a text frame)
    const bytes = Buffer.from(
      JSON.stringify({
        type: 'log',
        ts: Date.now(),
        seq: ++seq,
        data: { ts: now(), level: 'info', msg: `bench ${i} ${PADDING}` },
      }),
    );
    for (const ws of wss.clients) ws.send(bytes, TEXT);
  };
} else {
  const bus = new EventBus();
  attachEventStream({ server, events: bus, authorize: () => ({ ok: true, scope: 'read' }) });
  publish = (i) => void bus.publish('log', { ts: now(), level: 'info', msg: `bench ${i} ${PADDING}` });
}

server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));

answerCpuQueries((line) => {
  const [cmd, a, b] = line.split(' ');
  if (cmd === 'burst') {
    // in slices, as a busy bot would publish, so sockets get to write between them
    const total = Number(a);
    let i = 0;
    const slice = () => {
      for (let k = 0; k < 100 && i < total; k++) publish(i++);
      if (i < total) setImmediate(slice);
    };
    slice();
  } else if (cmd === 'rate') {
    const perSec = Number(a);
    const until = Date.now() + Number(b) * 1000;
    let i = 0;
    const timer = setInterval(() => {
      if (Date.now() > until) return clearInterval(timer);
      publish(i++);
    }, 1000 / perSec);
  }
});
