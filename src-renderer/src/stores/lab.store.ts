import { createStore } from 'zustand/vanilla';
import {
  FINISHED_JOB_STATES,
  type BacktestRequest,
  type DownloadRequest,
  type HistorySet,
  type Job,
  type JobEvent,
  type SweepRequest,
  type Candle,
  type Timeframe,
} from '../../../src-shared/contract';
import { ApiError } from '../../../src-shared/api-client/api-error';
import type { BotClient } from '../../../src-shared/api-client/bot-client';

export interface CandleRange {
  symbol: string;
  timeframe: Timeframe;
  from?: number;
  to?: number;
}
export interface CandleBars {
  barMs: number;
  candles: Candle[];
}
/** one key per range a run used (a missing from/to: the whole set) */
export const runCandlesKey = (r: CandleRange) => `${r.symbol} ${r.timeframe} ${r.from ?? ''} ${r.to ?? ''}`;
/** bars a compare chart asks for: enough to tell the trades apart, few enough to draw at once */
const CHART_BARS = 1500;

export type StartOutcome = { ok: true; job: Job } | { ok: false; message: string; fields: Record<string, string> };

const JOBS_SHOWN = 50;
/** the job whose results are open survives a page reload (docs/contract.md §11: results are kept, the view refetches) */
const OPEN_JOB_KEY = 'botdesk.lab.openJob';

export interface LabState {
  /** GET /history and GET /jobs were read at least once (the Lab was opened): a reconnect reads them again */
  loaded: boolean;
  sets: HistorySet[];
  /** newest first, without results */
  jobs: Job[];
  /** finished jobs with their results, by id */
  results: Record<number, Job>;
  /** the job whose results the view shows */
  openJob: number | null;
  /** chart bars of the ranges runs used, by runCandlesKey */
  candles: Record<string, CandleBars>;
  loadCandles(range: CandleRange): Promise<void>;
  load(): Promise<void>;
  loadResult(id: number): Promise<Job | null>;
  applyJobEvent(e: JobEvent): void;
  open(id: number | null): void;
  download(request: DownloadRequest): Promise<StartOutcome>;
  backtest(request: BacktestRequest): Promise<StartOutcome>;
  sweep(request: SweepRequest): Promise<StartOutcome>;
  cancel(id: number): Promise<StartOutcome>;
}

const failure = (e: unknown): StartOutcome =>
  e instanceof ApiError ? { ok: false, message: e.message, fields: e.fields } : { ok: false, message: (e as Error).message, fields: {} };

const readOpenJob = (): number | null => {
  const raw = globalThis.sessionStorage?.getItem(OPEN_JOB_KEY);
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
};

/**
 * The strategy lab's data: candle sets, jobs and the results of finished ones. `job` events move a job's state and
 * progress in place; a job that finishes brings its result (or, for a download, the sets) with one read. Queries stay
 * the source of truth: a reconnect reads the lists again, since events may have been missed.
 */
export function createLabStore(client: BotClient) {
  return createStore<LabState>()((set, get) => {
    const upsert = (job: Job) => {
      const jobs = get().jobs;
      const i = jobs.findIndex((j) => j.id === job.id);
      const next = i < 0 ? [job, ...jobs] : jobs.map((j) => (j.id === job.id ? { ...j, ...job, result: undefined } : j));
      set({ jobs: next.sort((a, b) => b.id - a.id).slice(0, JOBS_SHOWN) });
    };
    const started = async (work: () => Promise<{ job: Job }>): Promise<StartOutcome> => {
      try {
        const { job } = await work();
        upsert(job);
        return { ok: true, job };
      } catch (e) {
        return failure(e);
      }
    };
    /** a finished job's after-effects: its result is fetched once; a download changed the sets */
    const finished = (job: Pick<Job, 'id' | 'kind' | 'state'>) => {
      if (job.kind === 'download')
        void client.getHistory().then(
          ({ sets }) => set({ sets }),
          () => undefined,
        );
      // read whole once: the result, or why it failed
      if (!get().results[job.id])
        void get()
          .loadResult(job.id)
          .catch(() => undefined);
    };
    return {
      loaded: false,
      sets: [],
      jobs: [],
      results: {},
      openJob: readOpenJob(),
      candles: {},
      async loadCandles(range) {
        const key = runCandlesKey(range);
        if (get().candles[key]) return;
        const query = {
          symbol: range.symbol,
          timeframe: range.timeframe,
          limit: String(CHART_BARS),
          ...(range.from !== undefined ? { from: String(range.from) } : {}),
          ...(range.to !== undefined ? { to: String(range.to) } : {}),
        };
        const r = await client.getHistoryCandles({ query });
        set({ candles: { ...get().candles, [key]: { barMs: r.bar_ms, candles: r.candles } } });
      },
      async load() {
        const [history, list] = await Promise.all([client.getHistory(), client.listJobs({ query: { limit: String(JOBS_SHOWN) } })]);
        set({ loaded: true, sets: history.sets, jobs: list.jobs });
        const open = get().openJob;
        if (open !== null && !get().results[open]) await get().loadResult(open);
      },
      async loadResult(id) {
        try {
          const job = await client.getJob({ params: { id: String(id) } });
          upsert(job);
          if (FINISHED_JOB_STATES.includes(job.state)) set({ results: { ...get().results, [id]: job } });
          return job;
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) {
            if (get().openJob === id) get().open(null);
            return null;
          }
          throw e;
        }
      },
      applyJobEvent(e) {
        const known = get().jobs.find((j) => j.id === e.id);
        if (!known) {
          // started elsewhere (another window, the terminal client): read it whole
          void get()
            .loadResult(e.id)
            .then((job) => job && FINISHED_JOB_STATES.includes(job.state) && finished(job))
            .catch(() => undefined);
          return;
        }
        const wasFinished = FINISHED_JOB_STATES.includes(known.state);
        // a late progress event never moves a job backwards
        const progress = FINISHED_JOB_STATES.includes(e.state) ? e.progress : Math.max(known.progress, e.progress);
        upsert({ ...known, state: e.state, progress });
        if (!wasFinished && FINISHED_JOB_STATES.includes(e.state)) finished({ id: e.id, kind: e.kind, state: e.state });
      },
      open(id) {
        if (id === null) globalThis.sessionStorage?.removeItem(OPEN_JOB_KEY);
        else globalThis.sessionStorage?.setItem(OPEN_JOB_KEY, String(id));
        set({ openJob: id });
        if (id !== null && !get().results[id])
          void get()
            .loadResult(id)
            .catch(() => undefined);
      },
      download: (request) => started(() => client.downloadHistory({ body: request })),
      backtest: (request) => started(() => client.startBacktest({ body: request })),
      sweep: (request) => started(() => client.startSweep({ body: request })),
      cancel: (id) => started(() => client.cancelJob({ params: { id: String(id) } })),
    };
  });
}
export type LabStore = ReturnType<typeof createLabStore>;
