/**
 * The operation table: every operation the outside world can call, declared once.
 * The HTTP router, the IPC handlers, the OpenAPI document and the renderer's client are all derived from it.
 */
import { z } from 'zod';
import { ConfigPatchSchema, ConfigSourceSchema, ConfigVersionSchema, VersionedConfigSchema } from './config.schema';
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
import { TimeParamSchema, limitParam, def, orderedWindow, IdParams, Empty, type Scope, type OperationDef } from './operation-def';
import { deskOperations } from './desk.operations';
import { fleetOperations } from './fleet.operations';
import { labOperations } from './lab.operations';
import { notifyOperations } from './notify.operations';
export { TimeParamSchema, type Scope, type OperationDef, type ErrorStatus } from './operation-def';

export const TransitionResultSchema = z.object({ success: z.literal(true), status: StatusSchema, changed: z.boolean() });

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
  ...deskOperations(),
  ...notifyOperations(),
  ...fleetOperations(),
  ...labOperations(),
} as const;

/** Operations about the app around the bot (tokens, settings, keys): implemented in desktop/desk-handlers.ts. */
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
 * Four sets of handlers: the bot's trading operations (operations/bot-operations.ts), the app's own tokens, settings,
 * keys and notifications (desktop/desk-handlers.ts), the hub's fleet operations (fleet/fleet-handlers.ts) and the
 * lab's (operations/lab-operations.ts).
 */
export type BotOperationHandlers = Pick<OperationHandlers, BotOperationName>;
export type DeskOperationHandlers = Pick<OperationHandlers, DeskOperationName>;
export type FleetOperationHandlers = Pick<OperationHandlers, FleetOperationName>;
export type LabOperationHandlers = Pick<OperationHandlers, LabOperationName>;
