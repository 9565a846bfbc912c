// A preload for finding memory growth by hand (docs/benchmarks.md, memory), not part of the app or of `npm run bench`:
//   NODE_OPTIONS="--expose-gc --import=./bench/memory-probe/probe.mjs --heapsnapshot-signal=SIGUSR2" \
//     MEMPROBE_OUT=/tmp/probe.jsonl MEMPROBE_GC=1 npm run serve
// Every MEMPROBE_EVERY seconds (default 30) it appends one JSON line: memoryUsage in MB, RssAnon/RssFile from
// /proc/self/status, and V8's used size per heap space; with MEMPROBE_GC=1 (needs --expose-gc) also the same after a
// forced full GC, which separates what is live from garbage V8 has not collected yet. `kill -USR2 PID` writes a heap
// snapshot into the working directory (compare two with heap-diff.mjs). A snapshot leaves RSS high afterwards: take
// them in a process whose RSS you no longer need.
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';

const out = process.env.MEMPROBE_OUT;
const everyMs = Number(process.env.MEMPROBE_EVERY ?? 30) * 1000;
const forceGc = process.env.MEMPROBE_GC === '1' && typeof globalThis.gc === 'function';
const MB = 2 ** 20;
const t0 = Date.now();
const round = (bytes) => Math.round((bytes / MB) * 100) / 100;

function reading() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, round(v)]));
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, round(s.space_used_size)]));
  return { ...usage, rssAnon: round(kb('RssAnon') * 1024), rssFile: round(kb('RssFile') * 1024), spaces };
}

if (out)
  setInterval(() => {
    const line = { t: Math.round((Date.now() - t0) / 1000), before: reading() };
    if (forceGc) {
      globalThis.gc();
      line.after = reading();
    }
    appendFileSync(out, JSON.stringify(line) + '\n');
  }, everyMs).unref();
