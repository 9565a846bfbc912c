import type { Worker } from 'node:worker_threads';
import type { BacktestResultData, BotConfig, Stats } from '../../../src-shared/contract';
import type { RunMessage, RunRequest, WorkerTask } from './lab-protocol';
import { startLabWorker } from './lab-workers';

export interface RunOutcome {
  in_sample: Stats;
  out_of_sample: Stats | null;
  full?: BacktestResultData;
}

export interface RunPoolHandle {
  /** every run's outcome, in the order given */
  done: Promise<RunOutcome[]>;
  /** stop every worker now (a run is CPU-bound: it is not asked, it is ended) */
  cancel(): void;
}

/**
 * Runs configs over one candle range on up to `threads` worker threads: each worker reads the candles once, then takes
 * the next run whenever it finishes one, so threads stay busy however uneven the runs are.
 */
export function startRunPool(o: {
  task: Omit<Extract<WorkerTask, { type: 'runs' }>, 'type'>;
  configs: BotConfig[];
  full: boolean;
  threads: number;
  onProgress: (done: number, total: number) => void;
}): RunPoolHandle {
  const total = o.configs.length;
  const outcomes: RunOutcome[] = new Array(total);
  const workers: Worker[] = [];
  let next = 0;
  let finished = 0;
  let settled = false;
  let resolve!: (r: RunOutcome[]) => void;
  let reject!: (e: Error) => void;
  const done = new Promise<RunOutcome[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const stopAll = () => {
    for (const w of workers) void w.terminate();
  };
  const fail = (e: Error) => {
    if (settled) return;
    settled = true;
    stopAll();
    reject(e);
  };
  const feed = (w: Worker) => {
    if (next >= total) {
      w.postMessage({ type: 'stop' } satisfies RunRequest);
      return;
    }
    const index = next++;
    w.postMessage({ type: 'run', index, config: o.configs[index], full: o.full } satisfies RunRequest);
  };
  const threads = Math.max(1, Math.min(o.threads, total));
  for (let i = 0; i < threads; i++) {
    const w = startLabWorker({ type: 'runs', ...o.task });
    workers.push(w);
    w.on('message', (m: RunMessage) => {
      if (settled) return;
      if (m.type === 'ready') feed(w);
      else if (m.type === 'run_done') {
        outcomes[m.index] = { in_sample: m.in_sample, out_of_sample: m.out_of_sample, ...(m.full ? { full: m.full } : {}) };
        finished++;
        o.onProgress(finished, total);
        if (finished === total) {
          settled = true;
          stopAll();
          resolve(outcomes);
        } else feed(w);
      } else if (m.type === 'failed') fail(new Error(m.message));
    });
    w.on('error', (e) => fail(e));
    w.on('exit', (code) => {
      if (!settled && code !== 0) fail(new Error(`a lab worker stopped (exit code ${code})`));
    });
  }
  return {
    done,
    cancel: () => {
      if (settled) return;
      settled = true;
      stopAll();
      reject(new Error('cancelled'));
    },
  };
}
