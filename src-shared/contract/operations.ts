/**
 * The operation table: every operation the outside world can call, declared once.
 * The HTTP router, the IPC handlers, the OpenAPI document and the renderer's client are all derived from it.
 */
import { z } from 'zod';
import {
  ConfigPatchSchema,
  ConfigSourceSchema,
  ConfigVersionSchema,
  SymbolSchema,
  TimeframeSchema,
  VersionedConfigSchema,
} from './config.schema';
import {
  AssetBalanceSchema,
  AuditRecordSchema,
  CandleSchema,
  CashFlowSchema,
  EquityPointSchema,
  LogLevelSchema,
  LogRecordSchema,
  OrderSchema,
  PositionSchema,
  StatsSchema,
  StatusSchema,
  TradeSchema,
} from './trading.schema';
import {
  ExchangeKeysViewSchema,
  LiveLimitsPatchSchema,
  SaveExchangeKeysSchema,
  SettingsPatchSchema,
  SettingsViewSchema,
  TokenRequestSchema,
  TokenResultSchema,
} from './settings.schema';
import {
  AddFleetBotSchema,
  FleetActionSchema,
  FleetBotIdSchema,
  FleetBotSchema,
  FleetOutcomeSchema,
  FleetOutcomesSchema,
  FleetSchema,
} from './fleet.schema';
import { NotifyPatchSchema, NotifyTestResultSchema, NotifyViewSchema } from './notify.schema';
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

/** epoch ms or ISO-8601 (contract: query parameters from/to accept both). */
export const TimeParamSchema = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be epoch milliseconds or an ISO-8601 date')
    .transform((s) => Date.parse(s)),
]);
const limitParam = (max: number, dflt: number) =>
  z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1).max(max)).default(dflt);

export const TransitionResultSchema = z.object({ success: z.literal(true), status: StatusSchema, changed: z.boolean() });

export type Scope = 'public' | 'read' | 'control';

export interface OperationDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** path under /api/v1; `:id` segments become `params` */
  path: string;
  scope: Scope;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** the header `If-Match` is passed as `if_match` */
  ifMatch?: boolean;
  /**
   * Only through the desktop window (IPC), never over the management API: exchange keys and live limits go in there
   * and nowhere else (docs/security.md S3: the API cannot touch them, so a leaked token cannot lift a limit). No HTTP route, not in the OpenAPI document or the terminal client.
   */
  ipcOnly?: boolean;
  /**
   * What the operation may answer besides 200, input errors (400) and the token's (401, 403, 429), and why: the
   * OpenAPI document lists these per route, and a handler answering a status not declared here is a bug (tests run
   * with BOTDESK_STRICT_STATUSES=1, which turns one into a failure).
   */
  errors?: Partial<Record<ErrorStatus, string>>;
  output: z.ZodType;
}

export type ErrorStatus = 403 | 404 | 409 | 502;

const def = <T extends OperationDef>(d: T) => d;
/** a from/to window must not be upside down; the error names `from` */
const orderedWindow = (q: { from?: number; to?: number }, ctx: z.RefinementCtx) => {
  if (q.from !== undefined && q.to !== undefined && q.from > q.to)
    ctx.addIssue({ code: 'custom', message: 'must not be after to', path: ['from'] });
};
const IdParams = z.strictObject({ id: z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number) });
const Empty = z.strictObject({});

const FleetIdParams = z.strictObject({ id: FleetBotIdSchema });

/** The hub: every bot this BotDesk manages. Remote bots are reached only through these (tokens stay in the main process). */
function fleetOperations() {
  return {
    getFleet: def({
      method: 'GET',
      path: '/fleet',
      scope: 'read',
      summary: "Every managed bot (this computer first): status, today's P&L, connection health; totals per quote currency.",
      output: FleetSchema,
    }),
    addFleetBot: def({
      errors: {
        409: 'the bot is already in the fleet, or the fleet is full',
        502: 'the bot could not be reached or refused the token',
        403: 'the token is read-only where control is needed',
      },
      method: 'POST',
      path: '/fleet/bots',
      scope: 'control',
      summary:
        'Add a remote BotDesk server by URL and token (the token is kept by the hub and never returned). https:// or a loopback URL (an SSH tunnel); plain http:// to another address needs vpn_confirmed. The server is checked first: a wrong token, an unreachable host or a server that is not BotDesk is refused with one sentence.',
      body: AddFleetBotSchema,
      output: z.object({ success: z.literal(true), bot: FleetBotSchema }),
    }),
    renameFleetBot: def({
      errors: { 404: 'no such bot', 409: 'the name is taken or this computer cannot be renamed' },
      method: 'PUT',
      path: '/fleet/bots/:id',
      scope: 'control',
      summary: 'Rename a bot in the fleet.',
      params: FleetIdParams,
      body: z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(60, 'at most 60 characters') }),
      output: z.object({ success: z.literal(true), bot: FleetBotSchema }),
    }),
    removeFleetBot: def({
      errors: { 404: 'no such bot', 409: 'this computer cannot be removed' },
      method: 'POST',
      path: '/fleet/bots/:id/remove',
      scope: 'control',
      summary: 'Forget a remote bot and its token (the bot itself keeps running). This computer cannot be removed.',
      params: FleetIdParams,
      body: Empty.optional(),
      output: z.object({ success: z.literal(true), removed: FleetBotIdSchema }),
    }),
    controlFleetBot: def({
      errors: {
        404: 'no such bot',
        409: 'the transition makes no sense for that bot',
        502: 'the bot could not be reached',
        403: 'its token is read-only',
      },
      method: 'POST',
      path: '/fleet/bots/:id/control',
      scope: 'control',
      summary: 'start, stop, pause, resume or close-all on one bot of the fleet.',
      params: FleetIdParams,
      body: z.strictObject({ action: FleetActionSchema }),
      output: z.object({ success: z.literal(true), outcome: FleetOutcomeSchema, bot: FleetBotSchema }),
    }),
    pauseAll: def({
      method: 'POST',
      path: '/fleet/pause-all',
      scope: 'control',
      summary: 'Pause every running bot; a bot that cannot be reached is reported, not skipped.',
      body: Empty.optional(),
      output: FleetOutcomesSchema,
    }),
    closeAllEverywhere: def({
      method: 'POST',
      path: '/fleet/close-all',
      scope: 'control',
      summary: 'close-all on every bot (pause entries, close every position at market); per-bot outcomes.',
      body: Empty.optional(),
      output: FleetOutcomesSchema,
    }),
    callFleetBot: def({
      errors: {
        404: 'no such bot or operation',
        409: 'the operation is not callable on a remote, or its answer',
        502: 'the bot could not be reached',
        403: 'its token is read-only',
      },
      method: 'POST',
      path: '/fleet/bots/:id/call',
      scope: 'read',
      summary:
        "Run any bot operation of the table on one fleet bot through the hub (the dashboard pointed at a remote bot). Input is checked against that operation's schemas; control operations need the control token here.",
      params: FleetIdParams,
      body: z.strictObject({
        operation: z.string().min(1).max(64),
        input: z
          .strictObject({
            params: z.record(z.string(), z.unknown()).optional(),
            query: z.record(z.string(), z.unknown()).optional(),
            body: z.unknown().optional(),
            if_match: z.string().max(64).optional(),
          })
          .optional(),
      }),
      output: z.object({ result: z.unknown() }),
    }),
  } as const;
}

/** Webhooks and the Telegram bot (docs/contract.md §10): their state, the desktop's settings, a test message. */
function notifyOperations() {
  const unmanaged = 'this process does not manage tokens, settings or keys, or the notifications come from BOT_NOTIFY_FILE';
  return {
    getNotifications: def({
      errors: { 409: unmanaged },
      method: 'GET',
      path: '/notify',
      scope: 'read',
      summary:
        "Webhooks and the Telegram bot: where their settings come from, the kinds switched on, each sink's deliveries, failures, drops and queue. Never a token, secret or webhook URL.",
      output: NotifyViewSchema,
    }),
    updateNotifications: def({
      errors: { 409: unmanaged },
      method: 'PUT',
      path: '/notify',
      scope: 'control',
      ipcOnly: true,
      summary:
        'Change the notification settings (desktop window only: the token and secrets go to the keychain). Applies at once; 409 where BOT_NOTIFY_FILE sets them or on a headless server.',
      body: NotifyPatchSchema,
      output: z.object({ success: z.literal(true), notifications: NotifyViewSchema }),
    }),
    testNotifications: def({
      errors: { 409: 'no webhook or Telegram chat is configured' },
      method: 'POST',
      path: '/notify/test',
      scope: 'control',
      summary: 'Send one test message through every sink now and report each outcome (waits for each answer, at most 15 s).',
      body: Empty.optional(),
      output: NotifyTestResultSchema,
    }),
  } as const;
}

/** The strategy lab (docs/contract.md §11): candle history and the jobs that download, backtest and sweep. */
function labOperations() {
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

export const operations = {
  getHealth: def({
    method: 'GET',
    path: '/health',
    scope: 'public',
    summary: 'Liveness probe (no auth).',
    output: z.object({ status: z.literal('ok') }),
  }),
  startBot: def({
    method: 'POST',
    path: '/bot/start',
    scope: 'control',
    summary: 'Start the bot (or resume entries if paused).',
    body: Empty.optional(),
    output: TransitionResultSchema,
  }),
  stopBot: def({
    method: 'POST',
    path: '/bot/stop',
    scope: 'control',
    summary: 'Stop the trading loop. Open positions stay open and are managed again after start.',
    body: Empty.optional(),
    output: TransitionResultSchema,
  }),
  pauseBot: def({
    errors: { 409: 'the bot is stopped' },
    method: 'POST',
    path: '/bot/pause',
    scope: 'control',
    summary: 'Pause: no new entries; open positions are still managed (SL/TP).',
    body: Empty.optional(),
    output: TransitionResultSchema,
  }),
  resumeBot: def({
    errors: { 409: 'the bot is stopped' },
    method: 'POST',
    path: '/bot/resume',
    scope: 'control',
    summary: 'Resume entries after a pause.',
    body: Empty.optional(),
    output: TransitionResultSchema,
  }),
  getStatus: def({ method: 'GET', path: '/bot/status', scope: 'read', summary: 'Current status.', output: StatusSchema }),
  getConfig: def({
    method: 'GET',
    path: '/bot/config',
    scope: 'read',
    summary: 'Current config with its version.',
    output: VersionedConfigSchema,
  }),
  updateConfig: def({
    errors: { 409: 'If-Match is stale; symbol or timeframe with positions open; another quote or paper_balance after the first order' },
    method: 'PUT',
    path: '/bot/config',
    scope: 'control',
    ifMatch: true,
    summary:
      "Partial, atomic config update applied from the next cycle (hot reload). Optional If-Match: <version>. Optional ?source= names where the change came from (e.g. a lab run); the config history keeps it as the version's reason.",
    query: z.strictObject({ source: ConfigSourceSchema.optional() }),
    body: ConfigPatchSchema,
    output: z.object({ success: z.literal(true), config: VersionedConfigSchema, version: z.number().int() }),
  }),
  getConfigHistory: def({
    method: 'GET',
    path: '/bot/config/history',
    scope: 'read',
    summary: 'Every config version, newest first: who, when, what changed.',
    query: z.strictObject({ limit: limitParam(1000, 100) }),
    output: z.object({ versions: z.array(ConfigVersionSchema) }),
  }),
  rollbackConfig: def({
    errors: { 404: 'no such version', 409: 'the version would change symbol or timeframe with positions open, or the stake currency' },
    method: 'POST',
    path: '/bot/config/rollback',
    scope: 'control',
    summary: 'Restore an earlier config version (recorded as a new version).',
    body: z.strictObject({ version: z.number().int().min(1) }),
    output: z.object({ success: z.literal(true), config: VersionedConfigSchema, version: z.number().int() }),
  }),
  getStats: def({ method: 'GET', path: '/bot/stats', scope: 'read', summary: 'P&L and performance metrics.', output: StatsSchema }),
  getPositions: def({
    method: 'GET',
    path: '/bot/positions',
    scope: 'read',
    summary: 'Open positions with live unrealised P&L.',
    output: z.array(PositionSchema),
  }),
  openPosition: def({
    errors: {
      409: 'stopped, at max_positions, kill switch, free balance short, an empty account, an order over BOT_LIVE_MAX_ORDER',
      502: 'the exchange refused the entry or could not be reached',
    },
    method: 'POST',
    path: '/bot/positions',
    scope: 'control',
    summary:
      "Open one long position now at market with the config's stop-loss and take-profit, sized by size_pct (default position_size_pct). Allowed while running or paused and with enabled:false; 409 when stopped, at max_positions, after the kill switch or when the free balance is short; 502 when the exchange refuses.",
    body: z.strictObject({ size_pct: z.number().min(1).max(100).optional().describe('% of equity, 1–100') }).optional(),
    output: z.object({ success: z.literal(true), position: PositionSchema }),
  }),
  getBalances: def({
    errors: { 502: 'the exchange could not be reached' },
    method: 'GET',
    path: '/bot/balances',
    scope: 'read',
    summary:
      "The traded market's base and quote balances (paper: the paper account; live: the exchange). 502 when the exchange cannot be reached.",
    output: z.object({ balances: z.array(AssetBalanceSchema) }),
  }),
  closePosition: def({
    errors: { 404: 'no such open position', 409: 'dust the exchange would not sell, sold only in part, or not closed' },
    method: 'POST',
    path: '/bot/positions/:id/close',
    scope: 'control',
    summary: 'Close one open position at market.',
    params: IdParams,
    body: Empty.optional(),
    output: z.object({ success: z.literal(true), trade: TradeSchema }),
  }),
  writeOffPosition: def({
    errors: { 404: 'no such open position', 409: 'the position is not dust' },
    method: 'POST',
    path: '/bot/positions/:id/write-off',
    scope: 'control',
    summary:
      'Take a dust position (under the market minimum, which the exchange will not sell) off the books, e.g. after it was sold by hand: no trade is booked; its coins and cost move to holdings, so equity does not change. 409 for a position that is not dust.',
    params: IdParams,
    body: Empty.optional(),
    output: z.object({ success: z.literal(true), position_id: z.number().int() }),
  }),
  getCashflows: def({
    method: 'GET',
    path: '/bot/cashflows',
    scope: 'read',
    summary:
      'Money that moved in or out of the account without an order of the bot (deposits, withdrawals, trades by hand), oldest first; never counted as P&L.',
    query: z
      .strictObject({ from: TimeParamSchema.optional(), to: TimeParamSchema.optional(), limit: limitParam(5000, 1000) })
      .superRefine(orderedWindow),
    output: z.object({ cashflows: z.array(CashFlowSchema) }),
  }),
  getTrades: def({
    method: 'GET',
    path: '/bot/trades',
    scope: 'read',
    summary: 'Closed trades, newest first, with from/to filters and cursor paging.',
    query: z
      .strictObject({
        from: TimeParamSchema.optional(),
        to: TimeParamSchema.optional(),
        limit: limitParam(1000, 100),
        cursor: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor returned by an earlier page')
          .optional()
          .describe('next_cursor of the previous page, sent with the same from/to'),
      })
      .superRefine(orderedWindow),
    output: z.object({ trades: z.array(TradeSchema), next_cursor: z.string().nullable(), total: z.number().int(), total_pnl: z.number() }),
  }),
  getOrders: def({
    method: 'GET',
    path: '/bot/orders',
    scope: 'read',
    summary: 'Orders, newest first; status=open lists the pending ones.',
    query: z.strictObject({ status: z.enum(['open', 'all']).default('open'), limit: limitParam(1000, 100) }),
    output: z.object({ orders: z.array(OrderSchema) }),
  }),
  getLogs: def({
    method: 'GET',
    path: '/bot/logs',
    scope: 'read',
    summary: 'Newest log records at or above level.',
    query: z.strictObject({ level: LogLevelSchema.default('info'), limit: limitParam(1000, 100) }),
    output: z.array(LogRecordSchema),
  }),
  getEquity: def({
    method: 'GET',
    path: '/bot/equity',
    scope: 'read',
    summary:
      'Equity curve, oldest first, at most `limit` points: per candle when they fit, else the lowest and highest point of each time bucket (drawdowns stay visible) and the newest point.',
    query: z
      .strictObject({ from: TimeParamSchema.optional(), to: TimeParamSchema.optional(), limit: limitParam(5000, 1000) })
      .superRefine(orderedWindow),
    output: z.object({ points: z.array(EquityPointSchema) }),
  }),
  getCandles: def({
    method: 'GET',
    path: '/bot/candles',
    scope: 'read',
    summary: 'Recent candles of the traded market, oldest first.',
    query: z.strictObject({ limit: limitParam(5000, 500) }),
    output: z.object({ symbol: z.string(), timeframe: z.string(), candles: z.array(CandleSchema) }),
  }),
  closeAll: def({
    method: 'POST',
    path: '/bot/close-all',
    scope: 'control',
    summary: 'Flatten and hold: pause entries, then close every open position at market.',
    body: Empty.optional(),
    output: z.object({ success: z.literal(true), closed: z.array(TradeSchema), status: StatusSchema }),
  }),
  cancelPending: def({
    method: 'POST',
    path: '/bot/cancel-pending',
    scope: 'control',
    summary: 'Cancel every open order.',
    body: Empty.optional(),
    output: z.object({ success: z.literal(true), cancelled: z.number().int() }),
  }),
  getAudit: def({
    method: 'GET',
    path: '/bot/audit',
    scope: 'read',
    summary: 'Manual operations and config changes: what, when, by which token scope.',
    query: z.strictObject({ limit: limitParam(1000, 100) }),
    output: z.object({ records: z.array(AuditRecordSchema) }),
  }),
  rotateToken: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'POST',
    path: '/auth/rotate',
    scope: 'control',
    summary:
      'A new control token, returned once and written to the token file; the old one answers 401 at once and its event-stream connections are closed (4401). 409 when the token comes from BOT_API_TOKEN.',
    body: TokenRequestSchema,
    output: TokenResultSchema,
  }),
  setReadToken: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'POST',
    path: '/auth/read-token',
    scope: 'control',
    summary:
      'Create or replace the read-only token (returned once, kept in the data directory with mode 0600); the old one stops at once. 409 when BOT_API_READ_TOKEN sets it.',
    body: TokenRequestSchema,
    output: TokenResultSchema,
  }),
  removeReadToken: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'DELETE',
    path: '/auth/read-token',
    scope: 'control',
    summary: 'Remove the read-only token; it stops at once. 409 when BOT_API_READ_TOKEN sets it.',
    body: Empty.optional(),
    output: z.object({ success: z.literal(true), removed: z.boolean() }),
  }),
  getSettings: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'GET',
    path: '/settings',
    scope: 'read',
    summary: 'The app settings (API port, launch at login, notifications) and what overrides them.',
    output: SettingsViewSchema,
  }),
  updateSettings: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'PUT',
    path: '/settings',
    scope: 'control',
    summary: 'Partial, atomic settings change. api_port applies at the next start and must be free now (400 naming api_port otherwise).',
    body: SettingsPatchSchema,
    output: z.object({ success: z.literal(true), settings: SettingsViewSchema }),
  }),
  updateLiveLimits: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'PUT',
    path: '/live-limits',
    scope: 'control',
    ipcOnly: true,
    summary:
      "Live limits (desktop window only, never over the API): the markets live trading may use, the kill switch's ceiling, the most one order may be worth. Partial and atomic; BOT_LIVE_* variables win where set; applies at the next start.",
    body: LiveLimitsPatchSchema,
    output: z.object({ success: z.literal(true), settings: SettingsViewSchema }),
  }),
  getExchangeKeys: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'GET',
    path: '/exchange-keys',
    scope: 'control',
    summary: "Whether exchange keys are stored, and the API key's last four characters. Never the keys themselves.",
    output: ExchangeKeysViewSchema,
  }),
  saveExchangeKeys: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'PUT',
    path: '/exchange-keys',
    scope: 'control',
    ipcOnly: true,
    summary:
      'Store exchange keys in the OS keychain (desktop window only). 409 without confirm_plaintext where the keychain is basic_text, and on a headless server (keys come from BOT_EXCHANGE_KEY_FILE there).',
    body: SaveExchangeKeysSchema,
    output: z.object({ success: z.literal(true), keys: ExchangeKeysViewSchema }),
  }),
  deleteExchangeKeys: def({
    errors: { 409: 'this process does not manage tokens, settings or keys (headless), or the change could not be made' },
    method: 'DELETE',
    path: '/exchange-keys',
    scope: 'control',
    ipcOnly: true,
    summary: 'Forget the stored exchange keys (desktop window only).',
    body: Empty.optional(),
    output: z.object({ success: z.literal(true), keys: ExchangeKeysViewSchema }),
  }),
  ...notifyOperations(),
  ...fleetOperations(),
  ...labOperations(),
} as const;

/** Operations about the app around the bot (tokens, settings, keys): implemented in app/desk-handlers.ts. */
export const DESK_OPERATIONS = [
  'rotateToken',
  'setReadToken',
  'removeReadToken',
  'getSettings',
  'updateSettings',
  'updateLiveLimits',
  'getExchangeKeys',
  'saveExchangeKeys',
  'deleteExchangeKeys',
  'getNotifications',
  'updateNotifications',
  'testNotifications',
] as const;
export type DeskOperationName = (typeof DESK_OPERATIONS)[number];

export type Operations = typeof operations;
/** reachable over the management API (everything but the window-only operations) */
export const isHttpOperation = (name: string): boolean => !(operations as Record<string, OperationDef>)[name]?.ipcOnly;
export type OperationName = keyof Operations;
export type FleetOperationName = keyof ReturnType<typeof fleetOperations>;
/**
 * The trading operations one bot answers, here or through the hub: not the hub's fleet operations, and not the app's
 * own tokens, settings and keys (a token rotated through a hub would cut the hub off; settings belong to each machine).
 */
export type BotOperationName = Exclude<OperationName, FleetOperationName | DeskOperationName>;
export type LabOperationName = keyof ReturnType<typeof labOperations>;
export const FLEET_OPERATION_NAMES = Object.keys(fleetOperations()) as FleetOperationName[];

type InferOr<T, F> = T extends z.ZodType ? z.input<T> : F;
type OutOr<T, F> = T extends z.ZodType ? z.output<T> : F;

/** What a caller passes (pre-parse: query values are strings). */
export type OperationInput<N extends OperationName> = {
  params?: InferOr<Operations[N] extends { params: infer P } ? P : undefined, undefined>;
  query?: InferOr<Operations[N] extends { query: infer Q } ? Q : undefined, undefined>;
  body?: InferOr<Operations[N] extends { body: infer B } ? B : undefined, undefined>;
  if_match?: string;
};
/** What the implementation receives (parsed). */
export type ParsedInput<N extends OperationName> = {
  params: OutOr<Operations[N] extends { params: infer P } ? P : undefined, undefined>;
  query: OutOr<Operations[N] extends { query: infer Q } ? Q : undefined, undefined>;
  body: OutOr<Operations[N] extends { body: infer B } ? B : undefined, undefined>;
  if_match?: string;
};
export type OperationOutput<N extends OperationName> = z.output<Operations[N]['output']>;

/** Who called: recorded in the audit log and config history. */
export interface CallerContext {
  actor: string; // e.g. "api:control", "ipc", "cli"
  /** the token's scope over HTTP; absent = a trusted in-process caller (IPC, tray) */
  scope?: Scope;
}

/** The one implementation behind HTTP and IPC. */
export type OperationHandlers = {
  [N in OperationName]: (input: ParsedInput<N>, caller: CallerContext) => Promise<OperationOutput<N>> | OperationOutput<N>;
};

/** The renderer's view: every operation as one async function. */
export type BotClientCalls = {
  [N in OperationName]: (input?: OperationInput<N>) => Promise<OperationOutput<N>>;
};

/**
 * Three sets of handlers: the bot's trading operations (app/operation-handlers.ts), the app's own tokens, settings and
 * keys (app/desk-handlers.ts) and the hub's fleet operations (fleet/fleet-handlers.ts).
 */
export type BotOperationHandlers = Pick<OperationHandlers, BotOperationName>;
export type DeskOperationHandlers = Pick<OperationHandlers, DeskOperationName>;
export type FleetOperationHandlers = Pick<OperationHandlers, FleetOperationName>;
export type LabOperationHandlers = Pick<OperationHandlers, LabOperationName>;
