import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerTask } from './lab-protocol';

/**
 * Where the worker's code is. From the build (electron-vite: out/main, which `npm run serve` and the desktop app run)
 * it is its own entry, out/main/lab-worker.js, beside the entry or one folder up from a shared chunk. From the sources
 * (tsx, vitest) it is lab.worker.ts, which a worker can only load through tsx's API (`--import tsx` is not applied to
 * worker threads): a two-line bootstrap does that.
 */
function workerEntry(): { file: string; eval: boolean } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // the package's ESM build of its API (require.resolve finds the CommonJS twin beside it)
    const tsxApi = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const worker = pathToFileURL(join(dirname(here), 'lab.worker.ts')).href;
    return {
      file: `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(worker)}))`,
      eval: true,
    };
  }
  const candidates = [join(dirname(here), 'lab-worker.js'), join(dirname(here), '..', 'lab-worker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the lab worker is missing from this build (looked for ${candidates.join(', ')})`);
  return { file: found, eval: false };
}

let entry: ReturnType<typeof workerEntry> | null = null;

/** a worker thread for one task; its messages are lab-protocol WorkerMessages */
export function startLabWorker(task: WorkerTask): Worker {
  entry ??= workerEntry();
  return new Worker(entry.file, { eval: entry.eval, workerData: task, execArgv: [] });
}
