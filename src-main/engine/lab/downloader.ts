import type { Worker } from 'node:worker_threads';
import type { Timeframe } from '../../../src-shared/contract';
import type { ExchangeSpec } from '../adapters/ccxt/open-exchange';
import { EngineError } from '../errors';
import type { RetryPolicy } from './candle-download';
import type { DownloadCommand, DownloadMessage } from './lab-protocol';
import { startLabWorker } from './lab-workers';

/** the exchange could not be asked (its market list did not load): the operations layer answers 502 */
export class LabExchangeUnreachable extends Error {}

/** what a running download reports after its market was found */
export type DownloadEvent = Extract<DownloadMessage, { type: 'progress' | 'downloaded' | 'failed' }>;

/** a worker with nothing to do ends after this long (its ccxt client and markets go with it) */
const IDLE_MS = 5 * 60_000;

/**
 * The main side of the download worker: one thread for every download (they share its ccxt client, its rate limiter
 * and its loaded markets), started on the first download and ended when idle.
 */
export class Downloader {
  private worker: Worker | null = null;
  private nextTask = 1;
  private readonly tasks = new Map<number, (m: DownloadMessage) => void>();
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly o: { dataDir: string; exchange: ExchangeSpec; retry?: RetryPolicy }) {}

  /**
   * Start a download once the worker found the market: 400-worthy EngineError naming symbol or timeframe when the
   * exchange lacks it, LabExchangeUnreachable when its market list did not load. `on` then hears progress and the end.
   */
  start(
    req: { symbol: string; timeframe: Timeframe; from: number; to: number },
    on: (e: DownloadEvent) => void,
  ): Promise<{ setId: number; stop(): void }> {
    const worker = this.ensureWorker();
    const task = this.nextTask++;
    return new Promise((resolve, reject) => {
      let accepted = false;
      this.tasks.set(task, (m) => {
        if (accepted) {
          if (m.type === 'progress' || m.type === 'downloaded' || m.type === 'failed') on(m);
          if (m.type === 'downloaded' || m.type === 'failed') this.done(task);
          return;
        }
        if (m.type === 'market_ok') {
          accepted = true;
          resolve({ setId: m.setId, stop: () => this.send({ type: 'stop', task }) });
          return;
        }
        this.done(task);
        if (m.type === 'refused') reject(new EngineError('invalid', `${m.message}.`, { [m.field]: m.message }));
        else
          reject(new LabExchangeUnreachable(`The exchange could not be asked for ${req.symbol}: ${'message' in m ? m.message : m.type}.`));
      });
      worker.postMessage({ type: 'download', task, ...req } satisfies DownloadCommand);
    });
  }

  close(): void {
    if (this.idle) clearTimeout(this.idle);
    void this.worker?.terminate();
    this.worker = null;
  }

  private send(c: DownloadCommand): void {
    this.worker?.postMessage(c);
  }

  private done(task: number): void {
    this.tasks.delete(task);
    if (this.tasks.size > 0) return;
    this.idle = setTimeout(() => this.close(), IDLE_MS);
    this.idle.unref();
  }

  private ensureWorker(): Worker {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (this.worker) return this.worker;
    const worker = startLabWorker({ type: 'downloads', dataDir: this.o.dataDir, exchange: this.o.exchange, retry: this.o.retry });
    worker.on('message', (m: DownloadMessage) => this.tasks.get(m.task)?.(m));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const [task, listener] of [...this.tasks]) listener({ task, type: 'failed', message: why });
      this.tasks.clear();
    };
    worker.on('error', (e) => lost(`the download worker failed: ${e.message}`));
    worker.on('exit', (code) => lost(`the download worker stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }
}
