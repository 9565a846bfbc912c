// Strategy lab operations (docs/contract.md §11): part of the one operation table in operations.ts.
import { z } from 'zod';
import { SymbolSchema, TimeframeSchema } from './config.schema';
import { CandleSchema } from './trading.schema';
import {
  BacktestRequestSchema,
  DownloadRequestSchema,
  HistorySetSchema,
  ImportRequestSchema,
  JobKindSchema,
  JobSchema,
  JobStateSchema,
  SweepRequestSchema,
} from './lab.schema';
import { TimeParamSchema, limitParam, def, orderedWindow, IdParams, Empty } from './operation-def';

/** The strategy lab (docs/contract.md §11): candle history and the jobs that download, backtest and sweep. */
export function labOperations() {
  const started = z.object({ success: z.literal(true), job: JobSchema });
  return {
    getHistory: def({
      method: 'GET',
      path: '/history',
      scope: 'read',
      summary: 'Candle sets kept in the data directory (per exchange, market and timeframe), with their ranges and gaps.',
      output: z.object({ sets: z.array(HistorySetSchema) }),
    }),
    downloadHistory: def({
      errors: { 409: 'a download of that set is already running', 502: "the exchange's market list could not be read" },
      method: 'POST',
      path: '/history/downloads',
      scope: 'control',
      summary:
        'Download or extend a candle set from BOT_EXCHANGE through its public endpoints (no keys): a job. Only what the set lacks is fetched; an interrupted download resumes where it stopped. 400 for a market the exchange does not have.',
      body: DownloadRequestSchema,
      output: started,
    }),
    importCandles: def({
      method: 'POST',
      path: '/history/imports',
      scope: 'control',
      summary:
        "Add candles in the backtest CLI's format ([ts, open, high, low, close, volume], up to 10,000 a call) to a set; candles already kept at the same time are replaced.",
      body: ImportRequestSchema,
      output: z.object({ success: z.literal(true), set: HistorySetSchema, added: z.number().int() }),
    }),
    startBacktest: def({
      method: 'POST',
      path: '/backtests',
      scope: 'control',
      summary:
        "Backtest the bot's current config (with `config`'s keys changed) over a stored candle range, in a worker thread: a job whose result is the backtest CLI's JSON {config, stats, trades, equity}.",
      body: BacktestRequestSchema,
      output: started,
    }),
    startSweep: def({
      method: 'POST',
      path: '/sweeps',
      scope: 'control',
      summary:
        'A parameter sweep: every combination of up to three keys (config keys or strategy.params.<name>), spread over worker threads; ranked by in-sample profit, each shown again on the last out_of_sample_pct % of the range. At most 10,000 runs.',
      body: SweepRequestSchema,
      output: started,
    }),
    getHistoryCandles: def({
      method: 'GET',
      path: '/history/candles',
      scope: 'read',
      summary:
        "A kept set's candles over from/to (default: the whole set), oldest first, for a chart: at most `limit` bars, consecutive candles merged into wider bars (bar_ms) when the range holds more. 400 naming symbol/timeframe when no such set is kept, from/to when the range holds none.",
      query: z
        .strictObject({
          symbol: SymbolSchema,
          timeframe: TimeframeSchema,
          from: TimeParamSchema.optional(),
          to: TimeParamSchema.optional(),
          limit: limitParam(5000, 2000),
        })
        .superRefine(orderedWindow),
      output: z.object({
        symbol: z.string(),
        timeframe: TimeframeSchema,
        bar_ms: z.number().int().describe('the width of one bar: the timeframe, or a multiple of it when candles were merged'),
        candles: z.array(CandleSchema),
      }),
    }),
    listJobs: def({
      method: 'GET',
      path: '/jobs',
      scope: 'read',
      summary: 'Jobs, newest first, without their results (GET /jobs/{id} has them).',
      query: z.strictObject({ kind: JobKindSchema.optional(), state: JobStateSchema.optional(), limit: limitParam(1000, 100) }),
      output: z.object({ jobs: z.array(JobSchema) }),
    }),
    getJob: def({
      errors: { 404: 'no such job' },
      method: 'GET',
      path: '/jobs/:id',
      scope: 'read',
      summary: 'One job with its result once done; kept across restarts.',
      params: IdParams,
      output: JobSchema,
    }),
    cancelJob: def({
      errors: { 404: 'no such job', 409: 'the job has already finished' },
      method: 'DELETE',
      path: '/jobs/:id',
      scope: 'control',
      summary: 'Cancel a queued or running job (its worker is stopped; candles a download already kept stay).',
      params: IdParams,
      body: Empty.optional(),
      output: z.object({ success: z.literal(true), job: JobSchema }),
    }),
  } as const;
}
