/**
 * The strategy lab (docs/contract.md §11): candle history kept in the data directory, and long work (downloads,
 * backtests, sweeps) run as jobs in worker threads, with progress on the event stream and results kept.
 */
import { z } from 'zod';
import { BotConfigSchema, ConfigPatchSchema, SymbolSchema, TimeframeSchema } from './config.schema';
import { CandleTupleSchema, EquityPointSchema, StatsSchema, TradeSchema } from './trading.schema';

/** a time in a request body: epoch milliseconds, or an ISO-8601 date (as the contract's from/to query parameters) */
export const TimeValueSchema = z.union([
  z.number().int().min(0).max(8_640_000_000_000_000),
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be epoch milliseconds or an ISO-8601 date')
    .transform((s) => Date.parse(s)),
]);

export const TimeRangeSchema = z.object({ from: z.number(), to: z.number() });
export type TimeRange = z.infer<typeof TimeRangeSchema>;

/** one candle set kept in the data directory: an exchange's market at one timeframe */
export const HistorySetSchema = z.object({
  exchange: z.string().describe('ccxt exchange id the candles came from (BOT_EXCHANGE), or the name given on import'),
  symbol: z.string(),
  timeframe: TimeframeSchema,
  from: z.number().describe('open time of the first candle kept'),
  to: z.number().describe('open time of the last candle kept'),
  candles: z.number().int(),
  gaps: z
    .array(TimeRangeSchema)
    .describe('runs of missing candles between from and to: the open time of the first and of the last one missing'),
});
export type HistorySet = z.infer<typeof HistorySetSchema>;

export const JOB_KINDS = ['download', 'backtest', 'sweep'] as const;
export const JobKindSchema = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKindSchema>;
export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const JobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobStateSchema>;
/** states a job never leaves */
export const FINISHED_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];

/** the bot config a lab run changes: any key but the market, which the request names itself */
export const LabConfigPatchSchema = ConfigPatchSchema.omit({ symbol: true, timeframe: true });

const marketFields = {
  symbol: SymbolSchema,
  timeframe: TimeframeSchema,
};
/** a range of stored candles; without from/to, the whole set */
const storedRange = {
  ...marketFields,
  from: TimeValueSchema.optional(),
  to: TimeValueSchema.optional(),
};

export const DownloadRequestSchema = z.strictObject({
  ...marketFields,
  from: TimeValueSchema,
  to: TimeValueSchema.optional().describe('default: now'),
});
export type DownloadRequest = z.infer<typeof DownloadRequestSchema>;

export const MAX_IMPORT_CANDLES = 10_000;
export const ImportRequestSchema = z.strictObject({
  ...marketFields,
  exchange: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'lowercase letters, digits, - and _')
    .optional()
    .describe("default BOT_EXCHANGE, so backtests find the candles; send up to 10,000 a call, a set's calls extend it"),
  candles: z.array(CandleTupleSchema).min(1).max(MAX_IMPORT_CANDLES),
});
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

export const BacktestRequestSchema = z.strictObject({
  ...storedRange,
  config: LabConfigPatchSchema.optional().describe("keys that differ from the bot's current config"),
});
export type BacktestRequest = z.infer<typeof BacktestRequestSchema>;

export const MAX_SWEEP_KEYS = 3;
export const MAX_SWEEP_RUNS = 10_000;
export const SweepValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type SweepValue = z.infer<typeof SweepValueSchema>;
export const SweepRangeSchema = z.strictObject({ from: z.number(), to: z.number(), step: z.number().gt(0, 'must be greater than 0') });
export const SweepAxisSchema = z.union([z.array(SweepValueSchema).min(1, 'needs at least one value'), SweepRangeSchema]);
export type SweepAxis = z.infer<typeof SweepAxisSchema>;

export const SweepRequestSchema = z.strictObject({
  ...storedRange,
  config: LabConfigPatchSchema.optional().describe("keys that differ from the bot's current config, for every run"),
  vary: z
    .record(z.string(), SweepAxisSchema)
    .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= MAX_SWEEP_KEYS, `one to ${MAX_SWEEP_KEYS} keys`)
    .describe('config key or strategy.params.<name> → a list of values or {from, to, step}'),
  out_of_sample_pct: z.number().min(0).max(90).default(30).describe('the last part of the range, kept out of the ranking'),
});
export type SweepRequest = z.infer<typeof SweepRequestSchema>;

export const BacktestResultSchema = z.object({
  config: BotConfigSchema,
  stats: StatsSchema,
  trades: z.array(TradeSchema),
  equity: z.array(EquityPointSchema),
});
export type BacktestResultData = z.infer<typeof BacktestResultSchema>;

export const SweepRunSchema = z.object({
  params: z.record(z.string(), SweepValueSchema),
  in_sample: StatsSchema,
  out_of_sample: StatsSchema.nullable().describe('null when out_of_sample_pct is 0'),
});
export type SweepRun = z.infer<typeof SweepRunSchema>;
export const SweepResultSchema = z.object({
  runs: z.array(SweepRunSchema).describe('ranked by in-sample profit (equity − start_equity), best first'),
  in_sample: TimeRangeSchema,
  out_of_sample: TimeRangeSchema.nullable(),
  skipped: z
    .array(z.object({ params: z.record(z.string(), SweepValueSchema), reason: z.string() }))
    .describe('combinations the config rules refuse (e.g. fast ≥ slow), not run'),
});
export type SweepResult = z.infer<typeof SweepResultSchema>;

export const DownloadResultSchema = z.object({
  set: HistorySetSchema,
  added: z.number().int().describe('candles new to the set'),
  requests: z.number().int().describe('requests sent to the exchange'),
});
export type DownloadResult = z.infer<typeof DownloadResultSchema>;

export const JobSchema = z.object({
  id: z.number().int(),
  kind: JobKindSchema,
  state: JobStateSchema,
  progress: z.number().min(0).max(1),
  created_at: z.number(),
  finished_at: z.number().nullable(),
  request: z.record(z.string(), z.unknown()).describe('what was asked, as parsed'),
  error: z.string().nullable().describe('why it failed or was cancelled'),
  result: z.union([BacktestResultSchema, SweepResultSchema, DownloadResultSchema]).optional().describe('when done; not in GET /jobs'),
});
export type Job = z.infer<typeof JobSchema>;

export const JobEventSchema = z.object({ id: z.number().int(), kind: JobKindSchema, state: JobStateSchema, progress: z.number() });
export type JobEvent = z.infer<typeof JobEventSchema>;
