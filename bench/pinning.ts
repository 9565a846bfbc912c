import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename, join } from 'node:path';

/** taskset where there is one: the server on core 1, the load generator (this process) on core 0. */
const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : null;

export function pinThisProcess(core: number): void {
  if (taskset) execFileSync(taskset, ['-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

export interface Worker<T> {
  child: ChildProcess;
  ready: T;
  send(line: string): void;
  /** the worker's next line of output (an answer to a command) */
  read(): Promise<string>;
  /** the worker's own CPU time so far (µs), from process.cpuUsage() inside it */
  cpuMicros(): Promise<number>;
  stop(): void;
}

/**
 * A benchmark server in its own process, pinned to `core`. It prints one JSON line when ready, answers `cpu` on
 * stdin with `{"cpu": µs}`, and takes other commands line by line.
 */
/**
 * Bundles a worker the way the app ships (one esbuild bundle, dependencies external, no tsx loader in the process)
 * into out/bench/, so a benchmark measures the code a user runs rather than the dev-time transpiler.
 */
export async function bundleWorker(script: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join('out', 'bench', basename(script).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [script],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export async function startWorker<T>(script: string, args: string[], core: number, env: Record<string, string> = {}): Promise<Worker<T>> {
  const node = script.endsWith('.mjs') ? [process.execPath, script, ...args] : [process.execPath, '--import', 'tsx', script, ...args];
  const [cmd, ...rest] = taskset ? [taskset, '-c', String(core), ...node] : node;
  const child = spawn(cmd, rest, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiters: { ok(line: string): void; fail(e: Error): void }[] = [];
  lines.on('line', (line) => waiters.shift()?.ok(line));
  child.once('exit', (code) => {
    for (const w of waiters.splice(0)) w.fail(new Error(`${script} exited with ${code}`));
  });
  const next = () => new Promise<string>((ok, fail) => waiters.push({ ok, fail }));
  const ready = JSON.parse(await next()) as T;
  return {
    child,
    ready,
    send: (line) => void child.stdin!.write(line + '\n'),
    read: next,
    async cpuMicros() {
      const answer = next();
      child.stdin!.write('cpu\n');
      return (JSON.parse(await answer) as { cpu: number }).cpu;
    },
    stop: () => void child.kill(),
  };
}

/** the worker side of `cpu` */
export function answerCpuQueries(onOther: (line: string) => void = () => undefined): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line !== 'cpu') return onOther(line);
    const u = process.cpuUsage();
    process.stdout.write(JSON.stringify({ cpu: u.user + u.system }) + '\n');
  });
}
