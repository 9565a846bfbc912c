// npm run bench -- proof: the long form of tests/proof (issue 20). Each part prints its figure, with its baseline
// measured in the same run where a ratio makes sense. BOTDESK_SOAK=1 makes the load part an hour long.
// The parts can be run one at a time: BENCH_PROOF=fuzz,limits,kills,load (default: all).
import { startDesk } from '../tests/helpers/desk-harness';
import { startApi } from '../tests/helpers/api-harness';
import { deskFuzzTarget } from '../tests/proof/fuzz-target';
import { formatTally, fuzzEveryRoute, type OpenApiDocument } from '../tests/proof/route-fuzz';
import { connectionChurn, failedLoginFlood, oversizedBodies, oversizedFrame, slowClient } from '../tests/proof/abuse';
import { fleetKills, liveKills, paperKills, seededRandom, type KillReport } from '../tests/proof/kills';
import { formatLoad, runLoad } from '../tests/proof/load';
import { rawCall } from '../tests/proof/raw-http';

const parts = (process.env.BENCH_PROOF ?? 'fuzz,limits,kills,load').split(',');

async function fuzz(): Promise<void> {
  const runs = Number(process.env.BENCH_FUZZ_RUNS ?? 500);
  const desk = await startDesk();
  try {
    const target = await deskFuzzTarget(desk);
    const doc = (await (
      await fetch(`${desk.url}/api/v1/openapi.json`, { headers: { Authorization: `Bearer ${target.tokens().control}` } })
    ).json()) as OpenApiDocument;
    const t0 = performance.now();
    const { tally, failures } = await fuzzEveryRoute(target, doc, { runsPerRoute: runs });
    const total = [...tally.values()].reduce((a, t) => a + t.tried, 0);
    console.log(formatTally(tally));
    console.log(
      `fuzz: ${total} requests over ${tally.size} routes in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${failures.length} routes with an undocumented answer, shape or state change`,
    );
    for (const f of failures) console.log(`  ${f.route}: ${f.why}\n    ${JSON.stringify(f.request).slice(0, 300)}`);
  } finally {
    await desk.close();
  }
}

async function limits(): Promise<void> {
  // the server's real timeouts (10 s headers, 30 s request)
  const api = await startApi({ replaySpeed: 20 });
  try {
    await api.call('POST', '/bot/start');
    const bodies = await oversizedBodies({ url: api.url, token: api.token, rounds: 20 });
    console.log(
      `limits: oversized bodies ${bodies.got413}/${bodies.sent} answered 413 and received (${bodies.other.length} otherwise: ${bodies.other.slice(0, 3).join(', ')})`,
    );
    const [headers, body] = await Promise.all([
      slowClient({ port: api.port, part: 'headers', byteEveryMs: 500, giveUpMs: 60_000 }),
      slowClient({ port: api.port, part: 'body', byteEveryMs: 500, giveUpMs: 60_000, token: api.token }),
    ]);
    console.log(
      `limits: slow headers cut after ${((headers.cutAfterMs ?? NaN) / 1000).toFixed(1)} s (deadline 10 s, ratio ${((headers.cutAfterMs ?? NaN) / 10_000).toFixed(2)}; ${headers.answer}); slow body after ${((body.cutAfterMs ?? NaN) / 1000).toFixed(1)} s (deadline 30 s, ratio ${((body.cutAfterMs ?? NaN) / 30_000).toFixed(2)}; ${body.answer})`,
    );
    const code = await oversizedFrame({ wsUrl: `${api.url.replace('http', 'ws')}/ws/events`, token: api.token, bytes: 64 * 1024 });
    console.log(`limits: a 64 KiB WebSocket frame closed with ${code}`);
    // the loop's pace is read as the status's market time, which moves one candle per cycle
    const cycles = async (ms: number, load?: () => Promise<unknown>) => {
      const mark = async () => (await api.call('GET', '/bot/status')).body.equity_ts as number;
      const from = await mark();
      const t0 = performance.now();
      await Promise.all([new Promise((r) => setTimeout(r, ms)), load?.()]);
      return (((await mark()) - from) / 300_000 / (performance.now() - t0)) * 1000;
    };
    const quiet = await cycles(5000);
    let counts: Record<string, number> = {};
    const flooded = await cycles(
      5000,
      async () => (counts = await failedLoginFlood({ port: api.port, requests: 10_000, concurrency: 32 })),
    );
    console.log(
      `limits: 10000 failed logins → ${JSON.stringify(counts)}; trading loop ${flooded.toFixed(1)} cycles/s under the flood vs ${quiet.toFixed(1)} quiet (ratio ${(flooded / quiet).toFixed(2)}; pace 20/s)`,
    );
    const churn = await connectionChurn({
      port: api.port,
      token: api.token,
      connections: 10_000,
      batch: 250,
      serverConnections: () => new Promise((ok) => api.server.server.getConnections((_e, n) => ok(n))),
    });
    console.log(
      `limits: 10000 connections opened and dropped in ${(churn.ms / 1000).toFixed(1)} s; fds ${churn.fdsBefore} → ${churn.fdsAfter}; heap ${churn.heapBeforeMb.toFixed(1)} → ${churn.heapAfterMb.toFixed(1)} MiB; server connections left ${churn.serverConnectionsAfter}`,
    );
    const after = await rawCall(
      { host: '127.0.0.1', port: api.port },
      { method: 'GET', path: '/api/v1/health', headers: { Host: `127.0.0.1:${api.port}` } },
    );
    console.log(`limits: the server still answers: ${after.ok ? after.status : after.error}`);
  } finally {
    await api.close();
  }
}

async function kills(): Promise<void> {
  const n = Number(process.env.BENCH_KILLS ?? 20);
  const seed = Number(process.env.BOTDESK_KILL_SEED ?? Date.now() % 100_000);
  const reports: KillReport[] = [];
  // BENCH_KILL_SETTINGS=live (or paper, fleet, a list) runs only those; each keeps its seed (seed + its place)
  const only = process.env.BENCH_KILL_SETTINGS?.split(',');
  for (const [i, run] of [paperKills, liveKills, fleetKills].entries()) {
    if (only && !only.includes(['paper', 'live', 'fleet'][i])) continue;
    const r = await run(n, seededRandom(seed + i));
    reports.push(r);
    console.log(`kills: ${r.setting} (seed ${seed + i}): ${r.survived}/${r.run} survived`);
    console.log(`  where: ${r.moments.join('; ')}`);
    for (const f of r.failures) console.log(`  ${f}`);
  }
  const run = reports.reduce((a, r) => a + r.run, 0);
  const survived = reports.reduce((a, r) => a + r.survived, 0);
  console.log(`kills: ${survived}/${run} survived in all`);
}

async function load(): Promise<void> {
  const seconds = process.env.BOTDESK_SOAK ? 3600 : Number(process.env.BENCH_LOAD_SECONDS ?? 60);
  // baseline: the same server and routes, one request at a time with no stream clients, measured first
  const idle = await runLoad({ seconds: 10, wsClients: 0, workers: 1 });
  const loaded = await runLoad({ seconds, wsClients: 200, workers: 8 });
  console.log(`baseline (1 worker, no stream clients)\n${formatLoad(idle)}`);
  console.log(formatLoad(loaded));
  for (const [route, s] of Object.entries(loaded.perRoute)) {
    const b = idle.perRoute[route];
    if (b) console.log(`load: ${route} p50 ×${(s.p50 / b.p50).toFixed(2)}, p99 ×${(s.p99 / b.p99).toFixed(2)} of the baseline`);
  }
  for (const e of loaded.errors.slice(0, 5)) console.log(`  error: ${e}`);
  for (const p of loaded.ws.problems.slice(0, 5)) console.log(`  stream: ${p}`);
}

export default async function run(): Promise<void> {
  const all: Record<string, () => Promise<void>> = { fuzz, limits, kills, load };
  for (const p of parts) {
    console.log(`\n### proof: ${p}`);
    await all[p]();
  }
}
