import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerTask } from './lab-protocol';

/**
 * Where the worker's code is. From the sources (tsx, vitest) it is lab.worker.ts, loaded through tsx; from the build
 * (electron-vite: out/main, which `npm run serve` and the desktop app run) it is its own entry, out/main/lab-worker.js,
 * beside the entry or one folder up from a shared chunk.
 */
function workerEntry(): { file: string; execArgv?: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: join(dirname(here), 'lab.worker.ts'), execArgv: ['--import', 'tsx'] };
  const candidates = [join(dirname(here), 'lab-worker.js'), join(dirname(here), '..', 'lab-worker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the lab worker is missing from this build (looked for ${candidates.join(', ')})`);
  return { file: found };
}

let entry: ReturnType<typeof workerEntry> | null = null;

/** a worker thread for one task; its messages are lab-protocol WorkerMessages */
export function startLabWorker(task: WorkerTask): Worker {
  entry ??= workerEntry();
  return new Worker(entry.file, { workerData: task, execArgv: entry.execArgv ?? [], stdout: false, stderr: false });
}
