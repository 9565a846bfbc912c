// One server per process for the API and history benchmarks: `botdesk` (the real runtime and API) or `bare` (node:http answering
// the same bytes, headers included, with no checks and no work). Prints one JSON line {port, token} when listening.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../src-main/app/runtime';
import { createApiServer } from '../src-main/server/api-server';
import { createLogger } from '../src-main/engine/log/logger';
import { answerCpuQueries } from './pinning';
import { answerProfileCommands } from './cpu-profile';

const variant = process.argv[2];
if (variant === 'bare') {
  const body = Buffer.from(process.env.BENCH_BODY ?? '{}');
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': body.length,
    });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port, token: '' })));
} else {
  // BENCH_DATA_DIR: a database seeded beforehand (the history bench); else a fresh one
  const dataDir = process.env.BENCH_DATA_DIR || mkdtempSync(join(tmpdir(), 'botdesk-bench-api-'));
  const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn' });
  const token = 'bench-token-0123456789abcdefghijklmnop';
  // the default replay speed (BOT_REPLAY_SPEED=1): the bot cycles, and writes its database, while it answers
  const runtime = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 1 }, replaySpeed: 1, logger });
  // BENCH_ANSWER_CACHE=off measures the history routes computing every answer
  const answerVersions = process.env.BENCH_ANSWER_CACHE === 'off' ? {} : runtime.answerVersions;
  const api = await createApiServer({
    handlers: runtime.handlers,
    answerVersions,
    // BENCH_JSON_ANSWERS=off measures the history reads through their handlers (the objects written by the output writer)
    jsonAnswers: process.env.BENCH_JSON_ANSWERS === 'off' ? {} : runtime.jsonAnswers,
    events: runtime.events,
    logger,
    controlToken: token,
    host: '127.0.0.1',
    port: 0,
  });
  console.log(JSON.stringify({ port: api.port, token }));
}
process.on('SIGTERM', () => process.exit(0));
// `profile FILE` … `profile-stop`: a CPU profile of the lines between (bench/cold-reads.profile.ts)
answerCpuQueries(answerProfileCommands());
