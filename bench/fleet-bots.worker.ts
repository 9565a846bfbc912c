// The fleet bench's bots: N real runtimes (SQLite on disk, synthetic market) behind N real API servers in one process,
// each publishing `rate` extra events a second on its own bus when told `go`. Each event carries the wall-clock
// moment it was published (`mark`, ms with µs decimals), so every receiver can tell how long it took to arrive.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime } from '../src-main/app/runtime';
import { createApiServer, type ApiServer } from '../src-main/server/api-server';
import { createLogger } from '../src-main/engine/log/logger';
import type { EventBus } from '../src-main/engine/events/event-bus';
import { answerCpuQueries } from './pinning';

const count = Number(process.argv[2] ?? 10);
const rate = Number(process.argv[3] ?? 20);
const wallNow = () => performance.timeOrigin + performance.now();

const bots: { runtime: BotRuntime; api: ApiServer; dir: string }[] = [];
for (let i = 0; i < count; i++) {
  const dir = mkdtempSync(join(tmpdir(), `botdesk-bench-fleet-bot${i}-`));
  const token = `bench-fleet-token-${i}-0123456789abcdef`;
  const runtime = await createBotRuntime({
    dataDir: dir,
    market: { kind: 'synthetic', seed: 100 + i },
    replaySpeed: 1,
    logger: createLogger({ level: 'info' }),
  });
  const api = await createApiServer({
    handlers: runtime.handlers,
    events: runtime.events,
    logger: runtime.logger,
    controlToken: token,
    host: '127.0.0.1',
    port: 0,
  });
  bots.push({ runtime, api, dir });
}

let timer: ReturnType<typeof setInterval> | null = null;
let published = 0;
answerCpuQueries((line) => {
  if (line === 'go' && !timer) {
    published = 0;
    // one tick publishes one event on every bot: `rate` events a second each
    timer = setInterval(() => {
      for (const b of bots) (b.runtime.events as EventBus).publish('log', { ts: Date.now(), level: 'info', msg: 'bench', mark: wallNow() });
      published += bots.length;
    }, 1000 / rate);
  } else if (line === 'stop' && timer) {
    clearInterval(timer);
    timer = null;
    process.stdout.write(JSON.stringify({ published }) + '\n');
  }
});

const shutdown = async () => {
  if (timer) clearInterval(timer);
  for (const b of bots) {
    await b.api.close();
    await b.runtime.close();
    rmSync(b.dir, { recursive: true, force: true });
  }
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

process.stdout.write(
  JSON.stringify({ bots: bots.map((b, i) => ({ url: b.api.url, token: `bench-fleet-token-${i}-0123456789abcdef` })) }) + '\n',
);
