import { mergeBars } from './candle-bars';
import { availableParallelism } from 'node:os';
import {
  BotConfigSchema,
  mergeConfigPatch,
  TIMEFRAME_MS,
  type BacktestRequest,
  type BotConfig,
  type DownloadRequest,
  type HistorySet,
  type ImportRequest,
  type Job,
  type JobKind,
  type JobState,
  type SweepRequest,
  type SweepResult,
} from '../../../src-shared/contract';
import type { SqlDatabase } from '../adapters/sqlite/sql-driver';
import type { ExchangeSpec } from '../adapters/ccxt/open-exchange';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log/logger';
import { EngineError } from '../errors';
import { CandleStore, type CandleRow } from './candle-store';
import { JobStore } from './job-store';
import { openLabDatabase } from './lab-database';
import type { RetryPolicy } from './candle-download';
import { Downloader } from './downloader';
import { startRunPool } from './run-pool';
import { planSweep } from './sweep-plan';

export { LabExchangeUnreachable } from './downloader';

export interface LabOptions {
  dataDir: string;
  /** where downloads come from (BOT_EXCHANGE, sandbox, BOT_EXCHANGE_API_URL); public endpoints, no keys */
  exchange: ExchangeSpec;
  events: EventBus;
  logger: Logger;
  /** the bot's config now: a lab run starts from it */
  baseConfig: () => BotConfig;
  now?: () => number;
  /** worker threads for a sweep (default: os.availableParallelism()) */
  threads?: number;
  retry?: RetryPolicy;
}

const PROGRESS_EVERY_MS = 250;

/**
 * The strategy lab (docs/contract.md §11): candle history in the data directory, and jobs that run in worker threads
 * (never on the bot's thread) with their progress on the event stream and their results kept in the lab database.
 * One CPU job (backtest or sweep) runs at a time, using every core; downloads run beside it.
 */
export class Lab {
  private readonly db: SqlDatabase;
  private readonly candles: CandleStore;
  private readonly jobs: JobStore;
  private readonly now: () => number;
  private readonly cancels = new Map<number, () => void>();
  private readonly cpuQueue: { id: number; start: () => Promise<void> }[] = [];
  private cpuBusy = false;
  private readonly progressTold = new Map<number, number>();
  private readonly liveProgress = new Map<number, number>();
  private readonly downloader: Downloader;
  private readonly checkingMarket = new Set<string>();
  private closed = false;

  constructor(private readonly o: LabOptions) {
    this.now = o.now ?? Date.now;
    this.db = openLabDatabase(o.dataDir);
    this.candles = new CandleStore(this.db);
    this.jobs = new JobStore(this.db);
    this.downloader = new Downloader({ dataDir: o.dataDir, exchange: o.exchange, retry: o.retry });
    const interrupted = this.jobs.failInterrupted(this.now());
    if (interrupted > 0) o.logger.warn(`lab: ${interrupted} job(s) were running when BotDesk stopped; marked failed`);
  }

  history(): HistorySet[] {
    return this.candles.sets();
  }

  /** a kept range as chart bars (GET /history/candles): the same 400s as a backtest of that range */
  candleBars(q: { symbol: string; timeframe: BotConfig['timeframe']; from?: number; to?: number; limit: number }) {
    const { setId, from, to } = this.storedRange(q);
    const { barMs, candles } = mergeBars(this.candles.series(setId, from, to), TIMEFRAME_MS[q.timeframe], q.limit);
    return { symbol: q.symbol, timeframe: q.timeframe, bar_ms: barMs, candles };
  }

  /** candles in the backtest CLI's format into a set (docs/contract.md §11); every candle checked before any is kept */
  importCandles(req: ImportRequest): { set: HistorySet; added: number } {
    const step = TIMEFRAME_MS[req.timeframe];
    const rows = [...req.candles].sort((a, b) => a[0] - b[0]);
    const bad = rows.findIndex((r, i) => r[0] % step !== 0 || (i > 0 && r[0] === rows[i - 1][0]) || !validCandle(r));
    if (bad >= 0) {
      const r = rows[bad];
      const why =
        r[0] % step !== 0
          ? `opens at ${r[0]}, not on the ${req.timeframe} grid`
          : bad > 0 && r[0] === rows[bad - 1][0]
            ? `opens at ${r[0]} like the one before it`
            : 'has a price ≤ 0, a negative volume, or a high/low that does not contain open and close';
      throw new EngineError('invalid', `Candle at ${r[0]} ${why}.`, { candles: `the candle at ${r[0]} ${why}` });
    }
    const setId = this.candles.setId({ exchange: req.exchange ?? this.o.exchange.id, symbol: req.symbol, timeframe: req.timeframe }, true);
    const added = this.candles.write(setId, rows as CandleRow[]);
    return { set: this.candles.set(setId), added };
  }

  /** start a download once the worker found the market (400 naming symbol or timeframe, 502 unreachable) */
  async download(req: DownloadRequest): Promise<Job> {
    const to = req.to ?? this.now();
    if (req.from > to) throw new EngineError('invalid', 'from must not be after to.', { from: 'must not be after to' });
    const running = this.jobs
      .list({ kind: 'download', state: 'running', limit: 1000 })
      .find((j) => j.request.symbol === req.symbol && j.request.timeframe === req.timeframe);
    const key = `${req.symbol} ${req.timeframe}`;
    if (running || this.checkingMarket.has(key))
      throw new EngineError('conflict', `A download of ${key} is already running${running ? ` (job ${running.id})` : ''}.`);
    let id = 0;
    // the market check is asynchronous: a second request for the same set meanwhile is the same conflict
    this.checkingMarket.add(key);
    const handle = await this.downloader
      .start({ symbol: req.symbol, timeframe: req.timeframe, from: req.from, to }, (e) => {
        if (e.type === 'progress') this.progress(id, 'download', e.progress);
        else if (e.type === 'downloaded')
          this.finish(id, 'download', 'done', { result: { set: this.candles.set(handle.setId), added: e.added, requests: e.requests } });
        else this.finish(id, 'download', 'failed', { error: e.message });
      })
      .finally(() => this.checkingMarket.delete(key));
    id = this.jobs.create('download', { ...req, to }, this.now()).id;
    this.jobs.markRunning(id);
    this.tell(id, 'download', 'running', 0);
    this.cancels.set(id, () => {
      // the page in flight is kept whole, then that download ends; the job is cancelled now
      handle.stop();
      this.finish(id, 'download', 'cancelled', { error: 'cancelled; the candles kept so far stay, and a new download resumes there' });
    });
    return this.jobs.get(id) as Job;
  }

  backtest(req: BacktestRequest): Job {
    const range = this.storedRange(req);
    const config = this.runConfig(req);
    return this.queueRuns('backtest', req, range, [config], null, (outcomes) => outcomes[0].full);
  }

  sweep(req: SweepRequest): Job {
    const range = this.storedRange(req);
    const base = this.runConfig(req);
    const plan = planSweep(base, req.vary);
    const oos = req.out_of_sample_pct;
    const split = oos > 0 ? Math.floor(range.to - ((range.to - range.from) * oos) / 100) : null;
    if (
      split !== null &&
      (this.candles.count(range.setId, range.from, split - 1) === 0 || this.candles.count(range.setId, split, range.to) === 0)
    ) {
      const why = `too few candles from ${iso(range.from)} to ${iso(range.to)} to keep ${oos} % out of sample`;
      throw new EngineError('invalid', `There are ${why}.`, { from: why, to: why });
    }
    return this.queueRuns(
      'sweep',
      req,
      range,
      plan.runs.map((r) => r.config),
      split,
      (outcomes): SweepResult => ({
        runs: plan.runs
          .map((r, i) => ({ params: r.params, in_sample: outcomes[i].in_sample, out_of_sample: outcomes[i].out_of_sample }))
          .sort((a, b) => profit(b.in_sample) - profit(a.in_sample) || a.in_sample.max_drawdown_pct - b.in_sample.max_drawdown_pct),
        in_sample: { from: range.from, to: split === null ? range.to : split - 1 },
        out_of_sample: split === null ? null : { from: split, to: range.to },
        skipped: plan.skipped,
      }),
    );
  }

  listJobs(q: { kind?: JobKind; state?: JobState; limit: number }): Job[] {
    return this.jobs.list(q).map((j) => this.withLiveProgress(j));
  }

  getJob(id: number): Job {
    const job = this.jobs.get(id);
    if (!job) throw new EngineError('not_found', `There is no job ${id}.`);
    return this.withLiveProgress(job);
  }

  cancelJob(id: number): Job {
    const job = this.getJob(id);
    if (!this.isActive(id)) throw new EngineError('conflict', `Job ${id} has already finished (${job.state}).`);
    const queued = this.cpuQueue.findIndex((q) => q.id === id);
    if (queued >= 0) {
      this.cpuQueue.splice(queued, 1);
      this.finish(id, job.kind, 'cancelled', { error: 'cancelled before it started' });
    } else this.cancels.get(id)?.();
    return this.getJob(id);
  }

  /** stop every worker; a job still running is recorded as cancelled (BotDesk stopped), never left running */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const q of this.cpuQueue.splice(0)) {
      const job = this.jobs.get(q.id);
      if (job) this.finish(q.id, job.kind, 'cancelled', { error: 'BotDesk stopped before it started' });
    }
    for (const [id, cancel] of [...this.cancels]) {
      const job = this.jobs.get(id);
      if (job) this.finish(id, job.kind, 'cancelled', { error: 'BotDesk stopped while it ran' });
      cancel();
    }
    this.downloader.close();
    this.db.close();
  }

  // ── internals ──────────────────────────────────────────────────────────────

  private isActive(id: number): boolean {
    if (!this.db.isOpen) return false;
    const state = this.jobs.get(id)?.state;
    return state === 'queued' || state === 'running';
  }

  /** the stored candles a run uses: 400 naming symbol/timeframe when none are kept, from/to when the range holds none */
  private storedRange(req: { symbol: string; timeframe: BotConfig['timeframe']; from?: number; to?: number }) {
    const setId = this.candles.setId({ exchange: this.o.exchange.id, symbol: req.symbol, timeframe: req.timeframe });
    const set = setId === null ? null : this.candles.set(setId);
    if (setId === null || !set || set.candles === 0) {
      const why = `no ${req.timeframe} candles of ${req.symbol} (${this.o.exchange.id}) are kept; download or import them first`;
      throw new EngineError('invalid', `There are ${why}.`, { symbol: why, timeframe: why });
    }
    const from = req.from ?? set.from;
    const to = req.to ?? set.to;
    if (from > to) throw new EngineError('invalid', 'from must not be after to.', { from: 'must not be after to' });
    const count = this.candles.count(setId, from, to);
    if (count === 0) {
      const why = `no candles of ${req.symbol} ${req.timeframe} between ${iso(from)} and ${iso(to)} (kept: ${iso(set.from)} to ${iso(set.to)})`;
      throw new EngineError('invalid', `There are ${why}.`, { from: why, to: why });
    }
    return { setId, from, to, count };
  }

  /** the bot's current config for this market with the request's keys laid over; 400 naming config.<field> */
  private runConfig(req: BacktestRequest): BotConfig {
    // a paused or disabled bot's config still backtests: entries are what is being tested
    const merged = mergeConfigPatch(
      { ...this.o.baseConfig(), enabled: true },
      { symbol: req.symbol, timeframe: req.timeframe, ...req.config },
    );
    const r = BotConfigSchema.safeParse(merged);
    if (r.success) return r.data;
    const fields: Record<string, string> = {};
    for (const i of r.error.issues) fields[`config.${i.path.join('.')}`] ??= i.message;
    throw new EngineError('invalid', `Invalid config: ${Object.keys(fields).join(', ')}.`, fields);
  }

  private queueRuns(
    kind: 'backtest' | 'sweep',
    req: object,
    range: { setId: number; from: number; to: number },
    configs: BotConfig[],
    split: number | null,
    resultOf: (outcomes: Awaited<ReturnType<typeof startRunPool>['done']>) => unknown,
  ): Job {
    const job = this.jobs.create(kind, { ...req, from: range.from, to: range.to }, this.now());
    this.tell(job.id, kind, 'queued', 0);
    const start = async () => {
      try {
        this.jobs.markRunning(job.id);
        this.tell(job.id, kind, 'running', 0);
        const pool = startRunPool({
          task: { dataDir: this.o.dataDir, setId: range.setId, from: range.from, to: range.to, split },
          configs,
          full: kind === 'backtest',
          threads: this.o.threads ?? availableParallelism(),
          onProgress: (done, total) => this.progress(job.id, kind, done / total),
        });
        this.cancels.set(job.id, () => {
          pool.cancel();
          this.finish(job.id, kind, 'cancelled', { error: 'cancelled' });
        });
        this.finish(job.id, kind, 'done', { result: resultOf(await pool.done) });
      } catch (e) {
        // a worker that failed or could not start: the job says so, it never stays running
        this.finish(job.id, kind, 'failed', { error: (e as Error).message });
      }
    };
    this.cpuQueue.push({ id: job.id, start });
    this.nextCpuJob();
    return this.jobs.get(job.id) as Job;
  }

  private nextCpuJob(): void {
    if (this.cpuBusy || this.closed) return;
    const q = this.cpuQueue.shift();
    if (!q) return;
    this.cpuBusy = true;
    void q.start().finally(() => {
      this.cpuBusy = false;
      this.nextCpuJob();
    });
  }

  /** progress lives in memory while a job runs (no write on the bot's thread per step); its last value is kept at the end */
  private progress(id: number, kind: JobKind, progress: number): void {
    this.liveProgress.set(id, progress);
    const now = this.now();
    if (progress < 1 && now - (this.progressTold.get(id) ?? 0) < PROGRESS_EVERY_MS) return;
    this.progressTold.set(id, now);
    this.tell(id, kind, 'running', progress);
  }

  private withLiveProgress(job: Job): Job {
    const live = this.liveProgress.get(job.id);
    return live !== undefined && (job.state === 'running' || job.state === 'queued') ? { ...job, progress: live } : job;
  }

  private finish(id: number, kind: JobKind, state: 'done' | 'failed' | 'cancelled', f: { error?: string; result?: unknown }): void {
    if (!this.isActive(id)) return;
    this.cancels.delete(id);
    this.progressTold.delete(id);
    const progress = state === 'done' ? 1 : (this.liveProgress.get(id) ?? 0);
    this.liveProgress.delete(id);
    this.jobs.finish(id, { state, progress, at: this.now(), error: f.error, result: f.result });
    if (state === 'failed') this.o.logger.warn(`lab: ${kind} job ${id} failed: ${f.error ?? ''}`);
    this.tell(id, kind, state, progress);
  }

  private tell(id: number, kind: JobKind, state: JobState, progress: number): void {
    this.o.events.publish('job', { id, kind, state, progress });
  }
}

const profit = (s: { equity: number; start_equity: number }) => s.equity - s.start_equity;
const iso = (ts: number) => new Date(ts).toISOString();

function validCandle(r: readonly number[]): boolean {
  const [, open, high, low, close, volume] = r;
  return open > 0 && high > 0 && low > 0 && close > 0 && volume >= 0 && high >= Math.max(open, close) && low <= Math.min(open, close);
}
