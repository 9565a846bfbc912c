// Where a cold read's server CPU goes (docs/benchmarks.md cold-reads, second round): the bench's server worker under
// `--cpu-prof`, first idle (what the bot and the server burn with no request), then one cold route under the bench's
// load. Prints the server's CPU per request and per idle second, and the profile's self time grouped by where it is
// spent. Not part of `npm run bench`; run it by hand:
//   node --import tsx bench/cold-reads.profile.ts [size=100000] [route=equity] [seconds=4]
// routes: status, trades, trades-range, equity, equity-wide, logs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { historySeries, seedHistory } from '../tests/helpers/seed-history';
import { bundleWorker, pinThisProcess, startWorker } from './pinning';
import { coldRoutes, FIVE_MINUTES } from './cold-routes';

const [size = 100_000, routeKey = 'equity', seconds = 4] = [
  Number(process.argv[2] ?? 100_000),
  process.argv[3],
  Number(process.argv[4] ?? 4),
];
const ROUTE_NAMES: Record<string, string> = {
  status: 'status (baseline)',
  trades: 'trades, a new cursor',
  'trades-range': 'trades, a new from/to',
  equity: 'equity, 500 candles',
  'equity-wide': 'equity, a wide window',
  logs: 'logs, 100 lines',
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** a frame's group: what part of a request's work it is */
function groupOf(fn: string, url: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)' || fn === '(program)') return fn;
  if (url.includes('better-sqlite3') || (/^(get|all|run|iterate)$/.test(fn) && url === '')) return 'SQLite (native)';
  if (url.startsWith('node:_http') || url.includes('_http_')) return 'node:http';
  if (url.startsWith('node:net') || url.startsWith('node:stream') || url.includes('internal/streams') || url.includes('stream_base'))
    return 'net/streams';
  if (url.includes('/zod/')) return 'zod';
  if (url.startsWith('node:')) return `node internals (${url.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  if (url.includes('node_modules')) return url.split('node_modules/')[1].split('/')[0];
  if (url === '') return `native: ${fn || '(anonymous)'}`;
  return `app: ${url.split('/').pop()}`;
}

function summarise(profile: Profile, top = 25): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName: fn, url, lineNumber } = byId.get(id)!.callFrame;
    const g = groupOf(fn, url);
    if (g === '(idle)') continue;
    busy += us;
    groups.set(g, (groups.get(g) ?? 0) + us);
    const key = `${fn || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => ((100 * us) / busy).toFixed(1).padStart(5) + ' %';
  console.log(`  busy ${(busy / 1000).toFixed(0)} ms of profile; self time by group:`);
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${pct(us)}  ${g}`);
  console.log(`  top functions by self time:`);
  for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${pct(us)}  ${f}`);
}

async function main(): Promise<void> {
  pinThisProcess(0);
  const worker = await bundleWorker('bench/api-server.worker.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-coldprof-'));
  const profDir = mkdtempSync(join(tmpdir(), 'botdesk-coldprof-'));
  try {
    const seeded = seedHistory({ dataDir, series: historySeries(size, FIVE_MINUTES) });
    const routes = coldRoutes(dataDir, seeded.firstTs, seeded.lastTs);
    const route = routes.find((r) => r.name === ROUTE_NAMES[routeKey])!;
    const server = await startWorker<{ port: number; token: string }>(worker, ['botdesk'], 1, {
      BENCH_DATA_DIR: dataDir,
      BENCH_LOG_LEVEL: 'info',
      BENCH_ANSWER_CACHE: 'off',
    });
    const url = `http://127.0.0.1:${server.ready.port}`;
    const headers = { Authorization: `Bearer ${server.ready.token}` };
    // warm the route, then idle: what the running bot and the server burn with no request
    await autocannon({ url: url + route.next(0), connections: 10, duration: 1, headers });
    const idle0 = await server.cpuMicros();
    await new Promise((r) => setTimeout(r, 5000));
    const idle = ((await server.cpuMicros()) - idle0) / 5;
    const profile = join(profDir, 'server.cpuprofile');
    const answered = () => server.read();
    let ok = answered();
    server.send(`profile ${profile}`);
    await ok;
    let i = 0;
    const cpu0 = await server.cpuMicros();
    const result = await autocannon({
      url: url + route.next(0),
      connections: 10,
      duration: seconds,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: route.next(i++) }) }],
    });
    const cpu = (await server.cpuMicros()) - cpu0;
    ok = answered();
    server.send('profile-stop');
    await ok;
    const n = result.requests.total;
    console.log(
      `${size} rows, ${route.name}: ${n} requests (${result.non2xx} non-2xx), ${(cpu / n).toFixed(1)} µs server CPU per request; idle server ${(idle / 1000).toFixed(1)} ms CPU per second = ${(idle / (n / seconds)).toFixed(1)} µs per request at this rate`,
    );
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    summarise(JSON.parse(readFileSync(profile, 'utf8')) as Profile);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (!process.env.KEEP_PROFILE) rmSync(profDir, { recursive: true, force: true });
    else console.log(`profile kept in ${profDir}`);
  }
}

await main();
