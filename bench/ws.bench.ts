import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { bundleWorker } from './pinning';

/** client counts, each measured in its own paired rounds (issue 21: 100 and 1,000) */
const CLIENT_COUNTS = (process.env.BENCH_WS_CLIENTS ?? '100,1000').split(',').map(Number);
let CLIENTS = 100;
/** at most this many clients parse every message for latency (spread evenly, the last connected among them): parsing on
 * all 1,000 would make the clients' core the bottleneck; the others count what they receive */
const LATENCY_CLIENTS = 100;
const WARMUP_EVENTS = 500;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
/** server on core 1, clients (this process) on core 0, when the machine has two cores and taskset is there */
const PIN = availableParallelism() >= 2 && hasTaskset();

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const CLK_TCK = 100; // Linux USER_HZ; /proc times are in these ticks
/** user + system CPU seconds of a process, from /proc (the steadiest figure on a noisy machine) */
const cpuSecondsOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15 of stat)
};
/**
 * Busy CPU seconds of the whole machine, to tell whether something else ran during a round: user, nice, system
 * and steal; irq and softirq are left out because loopback traffic (ours) lands there, not in any process's times.
 */
const machineBusySeconds = () => {
  const [user, nice, system, , , , , steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + steal) / CLK_TCK;
};

interface Server {
  child: ChildProcess;
  port: number;
  send(line: string): void;
}

/** the worker as one esbuild bundle, as the app ships (see bundleWorker) */
let workerScript = '';

async function startServer(variant: 'bare' | 'botdesk'): Promise<Server> {
  const args = [workerScript, variant];
  const child = PIN
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`${variant} server exited with ${code}`)));
  });
  return { child, port: (JSON.parse(line) as { port: number }).port, send: (l) => child.stdin!.write(l + '\n') };
}

/**
 * The clients, in this process. While saturating they only count (so the clients are not what is measured);
 * while paced the sampled ones parse each message for its embedded send time and check that seq rises by exactly
 * one, and every client counts what it receives (each must receive every event).
 */
async function connectClients(port: number) {
  const state = { received: 0, lastAt: 0, latencies: null as number[] | null, gaps: 0 };
  const lastSeq = new Array<number>(CLIENTS).fill(0);
  const counts = new Array<number>(CLIENTS).fill(0);
  const every = Math.max(1, Math.ceil(CLIENTS / LATENCY_CLIENTS));
  const sampled = (i: number) => (CLIENTS - 1 - i) % every === 0;
  const connect = (i: number) =>
    new Promise<WebSocket>((ok, fail) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/events`, {
        headers: { Authorization: 'Bearer bench' },
        perMessageDeflate: false,
      });
      const timed = sampled(i);
      ws.on('message', (m: Buffer) => {
        state.received++;
        counts[i]++;
        state.lastAt = now();
        if (!state.latencies || !timed) return;
        const e = JSON.parse(m.toString()) as { seq: number; data: { ts: number } };
        state.latencies.push(state.lastAt - e.data.ts);
        if (e.seq !== lastSeq[i] + 1) state.gaps++;
        lastSeq[i] = e.seq;
      });
      ws.once('open', () => ok(ws));
      ws.once('error', fail);
    });
  // a hundred at a time: a thousand connects at once overflow the listen backlog and wait for SYN retries
  const sockets: WebSocket[] = [];
  for (let from = 0; from < CLIENTS; from += 100) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, CLIENTS - from) }, (_, k) => connect(from + k)))));
  }
  return {
    state,
    /** after counted bursts every client has seen seq 1..n */
    setSeq: (n: number) => lastSeq.fill(n),
    /** the last seq of each sampled client */
    lastSeqs: () => lastSeq.filter((_, i) => sampled(i)),
    counts: () => counts,
    close: () => sockets.forEach((s) => s.terminate()),
  };
}

async function waitForDeliveries(clients: Awaited<ReturnType<typeof connectClients>>, total: number, what: string) {
  // generous: a loaded machine delivers far fewer than it would alone
  const deadline = Date.now() + 120_000;
  while (clients.state.received < total) {
    if (Date.now() > deadline) throw new Error(`${what}: ${clients.state.received}/${total} deliveries after 120 s`);
    await sleep(5);
  }
}

interface Measurement {
  deliveriesPerSec: number;
  serverCpuUsPerDelivery: number;
  /** server CPU per delivery while paced (one event at a time) */
  pacedCpuUsPerDelivery: number;
  p50: number;
  p99: number;
  samples: number;
  foreignLoad: number;
}

async function measure(variant: 'bare' | 'botdesk', burst: number, rate: number, seconds: number): Promise<Measurement> {
  const server = await startServer(variant);
  const clients = await connectClients(server.port);
  try {
    // warm-up burst, not measured: both servers start cold in a fresh process
    // the same number of deliveries at any client count
    const warmup = Math.max(20, Math.round((WARMUP_EVENTS * 100) / CLIENTS));
    server.send(`burst ${warmup}`);
    await waitForDeliveries(clients, warmup * CLIENTS, `${variant} warm-up`);
    await sleep(200);

    // saturation: one burst, until every client has every event
    const busy0 = machineBusySeconds();
    const self0 = process.cpuUsage();
    const cpu0 = cpuSecondsOf(server.child.pid!);
    const received0 = clients.state.received;
    const start = now();
    server.send(`burst ${burst}`);
    await waitForDeliveries(clients, received0 + burst * CLIENTS, `${variant} burst`);
    const elapsedS = (clients.state.lastAt - start) / 1000;
    const serverCpuS = cpuSecondsOf(server.child.pid!) - cpu0;
    clients.setSeq(warmup + burst);

    // latency at a steady rate, every message checked
    clients.state.latencies = [];
    const pacedCpu0 = cpuSecondsOf(server.child.pid!);
    const pacedReceived0 = clients.state.received;
    server.send(`rate ${rate} ${seconds}`);
    await sleep(seconds * 1000 + 500);
    const lat = clients.state.latencies;
    // one event per turn here: the per-delivery cost of a lone event, which is what the paced tail is made of
    const pacedCpuUs = ((cpuSecondsOf(server.child.pid!) - pacedCpu0) * 1e6) / Math.max(1, clients.state.received - pacedReceived0);
    // busy time beyond what the server and the clients used, per second of the measurement: someone else was running
    const selfCpu = process.cpuUsage(self0);
    const ownS = cpuSecondsOf(server.child.pid!) - cpu0 + (selfCpu.user + selfCpu.system) / 1e6;
    const foreignLoad = Math.max(0, (machineBusySeconds() - busy0 - ownS) / ((now() - start) / 1000));
    const seqs = clients.lastSeqs();
    const counts = clients.counts();
    if (clients.state.gaps || seqs.some((s) => s !== seqs[0]) || counts.some((n) => n !== counts[0]))
      throw new Error(`${variant}: messages lost or out of order (${clients.state.gaps} gaps)`);
    return {
      deliveriesPerSec: (burst * CLIENTS) / elapsedS,
      serverCpuUsPerDelivery: (serverCpuS * 1e6) / (burst * CLIENTS),
      pacedCpuUsPerDelivery: pacedCpuUs,
      p50: pct(lat, 0.5),
      p99: pct(lat, 0.99),
      samples: lat.length,
      foreignLoad,
    };
  } finally {
    clients.close();
    server.child.kill();
  }
}

/** bare then BotDesk in even rounds, BotDesk then bare in odd ones: neither side always goes first */
async function pair(round: number, burst: number, rate: number, seconds: number): Promise<[bare: Measurement, ours: Measurement]> {
  if (round % 2 === 0) {
    const bare = await measure('bare', burst, rate, seconds);
    return [bare, await measure('botdesk', burst, rate, seconds)];
  }
  const ours = await measure('botdesk', burst, rate, seconds);
  return [await measure('bare', burst, rate, seconds), ours];
}

/**
 * Event delivery to 100 and to 1,000 WebSocket clients: the real stream (EventBus → event-stream with its per-client
 * buffer check) against a bare `ws` broadcast that serialises each event once and sends the same bytes to every
 * client. Each server in its own process (pinned to core 1), clients in this one (core 0), alternating paired rounds,
 * median ratio. Targets (issue 21): at 1,000 clients ≥ 1.0 of bare in deliveries/s and p99 ≤ 1.1 × bare's.
 */
export default async function run(): Promise<void> {
  workerScript = await bundleWorker('bench/ws-server.worker.ts');
  const mask = PIN
    ? execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' })
        .trim()
        .split(' ')
        .pop()!
    : '';
  if (PIN) execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const summary: string[] = [];
  try {
    for (const n of CLIENT_COUNTS) {
      CLIENTS = n;
      summary.push(...(await runAt()));
    }
  } finally {
    if (PIN) execFileSync('taskset', ['-p', mask, String(process.pid)], { stdio: 'ignore' });
  }
  console.log('\nWebSocket fan-out, BotDesk stream against bare ws:');
  for (const line of summary) console.log(`  ${line}`);
}

async function runAt(): Promise<string[]> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  // the same number of deliveries per burst at any client count
  const burst = Math.max(50, Math.round(Number(process.env.BENCH_WS_BURST ?? 2500) * (100 / CLIENTS)));
  const seconds = Number(process.env.BENCH_WS_SECONDS ?? 4);
  const rate = 200;
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const p99Ratios: number[] = [];
  const pacedCpuRatios: number[] = [];
  const bareP99: number[] = [];
  const oursP99: number[] = [];
  const rows: { bare: Measurement; ours: Measurement }[] = [];
  let retries = Number(process.env.BENCH_WS_RETRIES ?? 2);
  for (let r = 0; r < rounds; r++) {
    let [bare, ours] = await pair(r, burst, rate, seconds);
    // per the benchmarking notes: a round where something else used > 10 % of a core is run again (once)
    if (Math.max(bare.foreignLoad, ours.foreignLoad) > 0.1 && retries-- > 0) {
      console.log(
        `  ${CLIENTS} clients, round ${r + 1}: foreign load ${(100 * Math.max(bare.foreignLoad, ours.foreignLoad)).toFixed(0)} % of a core, running it again`,
      );
      [bare, ours] = await pair(r, burst, rate, seconds);
    }
    rows.push({ bare, ours });
    ratios.push(ours.deliveriesPerSec / bare.deliveriesPerSec);
    cpuRatios.push(ours.serverCpuUsPerDelivery / bare.serverCpuUsPerDelivery);
    p99Ratios.push(ours.p99 / bare.p99);
    pacedCpuRatios.push(ours.pacedCpuUsPerDelivery / bare.pacedCpuUsPerDelivery);
    bareP99.push(bare.p99);
    oursP99.push(ours.p99);
    const noisy =
      Math.max(bare.foreignLoad, ours.foreignLoad) > 0.1
        ? `  (foreign load up to ${(100 * Math.max(bare.foreignLoad, ours.foreignLoad)).toFixed(0)} % of a core: noisy round)`
        : '';
    console.log(
      `  ${CLIENTS} clients, round ${r + 1}: bare ${fmt(bare.deliveriesPerSec)} deliveries/s (${bare.serverCpuUsPerDelivery.toFixed(2)} µs CPU each, ${bare.pacedCpuUsPerDelivery.toFixed(2)} paced, p99 ${bare.p99.toFixed(2)} ms), ` +
        `BotDesk ${fmt(ours.deliveriesPerSec)} deliveries/s (${ours.serverCpuUsPerDelivery.toFixed(2)} µs CPU each, ${ours.pacedCpuUsPerDelivery.toFixed(2)} paced, p99 ${ours.p99.toFixed(2)} ms), ratio ${ratios[r].toFixed(3)}${noisy}`,
    );
  }
  const median = (xs: number[]) => pct(xs, 0.5);
  const mid = (pick: (m: Measurement) => number, side: 'bare' | 'ours') => median(rows.map((row) => pick(row[side])));
  console.log(
    `WebSocket delivery to ${CLIENTS} clients, ~250-byte log events, ${burst} per saturation burst, then ${rate}/s for ${seconds} s; every message counted on every client, seq checked on ${Math.min(CLIENTS, LATENCY_CLIENTS)}${PIN ? '; server on core 1, clients on core 0' : ''}:`,
  );
  console.log(
    `  bare ws broadcast   ${fmt(mid((m) => m.deliveriesPerSec, 'bare'))} deliveries/s, ${mid((m) => m.serverCpuUsPerDelivery, 'bare').toFixed(2)} µs server CPU each, p50 ${mid((m) => m.p50, 'bare').toFixed(2)} ms, p99 ${median(bareP99).toFixed(2)} ms`,
  );
  console.log(
    `  BotDesk stream      ${fmt(mid((m) => m.deliveriesPerSec, 'ours'))} deliveries/s, ${mid((m) => m.serverCpuUsPerDelivery, 'ours').toFixed(2)} µs server CPU each, p50 ${mid((m) => m.p50, 'ours').toFixed(2)} ms, p99 ${median(oursP99).toFixed(2)} ms`,
  );
  const line = `${String(CLIENTS).padStart(5)} clients: ratio BotDesk/bare ${median(ratios).toFixed(3)} in deliveries/s (target ≥ 1.0 at 1,000), p99 ${median(p99Ratios).toFixed(2)} × bare's (${median(oursP99).toFixed(2)} vs ${median(bareP99).toFixed(2)} ms; target ≤ 1.1), server CPU per delivery ${median(cpuRatios).toFixed(3)} × saturated, ${median(pacedCpuRatios).toFixed(3)} × paced (median of ${rounds} paired rounds)`;
  console.log(`  ${line}`);
  return [line];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
