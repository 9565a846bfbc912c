// A flood of concurrent GETs against the API, from a process of its own (as a dashboard or a script with a read token
// would be), so the load generator does not share the bot's event loop. Used by the live-reads test and the live
// bench: `start()` keeps `concurrency` requests in flight (each answered one is replaced at once) until `stop()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface FloodStats {
  /** answers by HTTP status */
  statuses: Record<string, number>;
  /** connection errors */
  errors: number;
  /** requests still unanswered when stop() gave up waiting for them */
  unanswered: number;
  /** answer latency, ms */
  p50: number;
  p99: number;
  /** from start() to stop() */
  seconds: number;
}

export interface ReadFlood {
  start(): Promise<void>;
  /** stops sending, waits up to `graceMs` for the answers in flight, and reports */
  stop(graceMs?: number): Promise<FloodStats>;
  close(): void;
}

const SCRIPT = String.raw`
const http = require('node:http');
const { createInterface } = require('node:readline');
const url = process.env.FLOOD_URL, token = process.env.FLOOD_TOKEN, n = Number(process.env.FLOOD_CONCURRENCY);
const agent = new http.Agent({ keepAlive: true, maxSockets: n });
let on = false, inFlight = 0, started = 0, s = null;
const fresh = () => ({ statuses: {}, errors: 0, lat: [] });
function one() {
  if (!on) return;
  inFlight++;
  const t = performance.now();
  const req = http.get(url, { agent, headers: { Authorization: 'Bearer ' + token } }, (res) => {
    res.resume();
    res.on('end', () => {
      inFlight--;
      s.statuses[res.statusCode] = (s.statuses[res.statusCode] || 0) + 1;
      s.lat.push(performance.now() - t);
      one();
    });
  });
  req.on('error', () => { inFlight--; s.errors++; if (on) setTimeout(one, 5); });
}
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, arg] = line.split(' ');
  if (cmd === 'start') {
    s = fresh(); on = true; started = performance.now();
    for (let i = 0; i < n; i++) one();
    say({ started: true });
  } else if (cmd === 'stop') {
    on = false;
    const seconds = (performance.now() - started) / 1000;
    const deadline = performance.now() + Number(arg);
    const check = () => {
      if (inFlight > 0 && performance.now() < deadline) return setTimeout(check, 20);
      const lat = s.lat.sort((a, b) => a - b);
      const at = (p) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] : NaN;
      say({ statuses: s.statuses, errors: s.errors, unanswered: inFlight, p50: at(0.5), p99: at(0.99), seconds });
      if (inFlight > 0) agent.destroy();
    };
    check();
  }
});
say({ ready: true });
`;

/** `core`: pin the flood to that CPU (taskset) where there is one */
export async function startReadFlood(o: { url: string; token: string; concurrency: number; core?: number }): Promise<ReadFlood> {
  const node = [process.execPath, '-e', SCRIPT];
  const taskset = o.core !== undefined && existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', String(o.core)] : [];
  const [cmd, ...args] = [...taskset, ...node];
  const child: ChildProcess = spawn(cmd, args, {
    env: { ...process.env, FLOOD_URL: o.url, FLOOD_TOKEN: o.token, FLOOD_CONCURRENCY: String(o.concurrency) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiters: { ok(line: string): void; fail(e: Error): void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiters.shift()?.ok(line));
  child.once('exit', (code) => {
    for (const w of waiters.splice(0)) w.fail(new Error(`the read flood exited with ${code}`));
  });
  const next = () => new Promise<string>((ok, fail) => waiters.push({ ok, fail }));
  await next();
  return {
    async start() {
      const answer = next();
      child.stdin!.write('start\n');
      await answer;
    },
    async stop(graceMs = 10_000) {
      const answer = next();
      child.stdin!.write(`stop ${graceMs}\n`);
      return JSON.parse(await answer) as FloodStats;
    },
    close: () => void child.kill(),
  };
}
