import { z } from 'zod';

export const BOT_STATES = ['stopped', 'running', 'paused'] as const;
export const BotStateSchema = z.enum(BOT_STATES);
export type BotState = z.infer<typeof BotStateSchema>;

export const BotModeSchema = z.enum(['paper', 'live']);
export type BotMode = z.infer<typeof BotModeSchema>;

export const StatusSchema = z.object({
  state: BotStateSchema,
  running: z.boolean(),
  mode: BotModeSchema,
  exchange: z.string(),
  market: z.string().describe('where candles come from: "replay", "synthetic" or "live"'),
  sandbox: z.boolean().describe("the exchange's testnet (BOT_EXCHANGE_SANDBOX=1)"),
  symbol: z.string(),
  stake_currency: z.string().describe('the currency every money figure is in: the quote of the traded market'),
  timeframe: z.string(),
  started_at: z.number().nullable(),
  uptime_s: z.number(),
  open_positions: z.number().int(),
  pending_orders: z.number().int(),
  equity: z.number(),
  equity_ts: z.number().nullable().describe("market time (candle close) the equity figure was marked at; the equity curve's newest point"),
  today_pnl: z
    .number()
    .describe(
      '`equity` minus the equity at the start of the current UTC day (market time): the figure of GET /bot/stats, marked with this `equity`',
    ),
  last_price: z.number().nullable(),
  last_cycle_at: z.number().nullable(),
  config_version: z.number().int(),
  applied_config_version: z.number().int().nullable(),
  paused_reason: z
    .string()
    .nullable()
    .describe('why the bot paused itself (kill switch, close-all), null when not paused or paused by a user'),
  paused_at: z.number().nullable(),
  attention: z
    .array(z.string())
    .describe('what a person must look at: orders or coins on the exchange that the bot did not make and will not touch'),
});
export type Status = z.infer<typeof StatusSchema>;

export const PositionSchema = z.object({
  id: z.number().int(),
  symbol: z.string(),
  side: z.literal('long'),
  amount: z.number(),
  entry_price: z.number(),
  current_price: z.number(),
  unrealized_pnl: z.number(),
  entry_fee: z.number(),
  stop_loss_price: z.number(),
  take_profit_price: z.number(),
  opened_at: z.number(),
  config_version: z.number().int(),
  dust: z
    .boolean()
    .describe(
      'what is left is under the market minimum: it counts in equity but not toward max_positions, and the exchange would refuse to sell it',
    ),
});
export type Position = z.infer<typeof PositionSchema>;

/** `trailing_stop` (a project addition, docs/contract.md §4): the stop that sold had been raised by the trailing rule */
export const EXIT_REASONS = ['stop_loss', 'take_profit', 'signal', 'manual', 'close_all', 'trailing_stop'] as const;
export const ExitReasonSchema = z.enum(EXIT_REASONS);
export type ExitReason = z.infer<typeof ExitReasonSchema>;

export const TradeSchema = z.object({
  id: z.number().int(),
  position_id: z.number().int(),
  symbol: z.string(),
  side: z.literal('long'),
  amount: z.number(),
  entry_price: z.number(),
  exit_price: z.number(),
  entry_time: z.number(),
  exit_time: z.number(),
  fee: z.number().describe('entry fee + exit fee, in quote currency'),
  pnl: z.number().describe('(exit_price − entry_price) × amount − fee'),
  pnl_pct: z.number().describe('pnl as % of the entry cost (entry_price × amount)'),
  exit_reason: ExitReasonSchema,
  config_version: z.number().int(),
});
export type Trade = z.infer<typeof TradeSchema>;

export const ORDER_STATUSES = ['new', 'open', 'filled', 'cancelled', 'rejected'] as const;
export const OrderSchema = z.object({
  id: z.number().int(),
  client_order_id: z.string(),
  exchange_order_id: z.string().nullable(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop_market']),
  purpose: z
    .enum(['entry', 'stop_loss', 'take_profit', 'exit'])
    .describe('stop_loss/take_profit orders protect an open position and are not counted as pending'),
  amount: z.number(),
  price: z.number().nullable(),
  trigger_price: z.number().nullable(),
  status: z.enum(ORDER_STATUSES),
  filled: z.number(),
  average_price: z.number().nullable(),
  fee: z.number(),
  position_id: z.number().int().nullable(),
  exit_reason: ExitReasonSchema.nullable(),
  created_at: z.number(),
  updated_at: z.number(),
  config_version: z.number().int(),
});
export type Order = z.infer<typeof OrderSchema>;

export const StatsSchema = z.object({
  stake_currency: z.string().describe('the currency of every figure here'),
  start_equity: z.number().describe("the account's value when this data directory first traded"),
  equity: z.number().describe('start_equity + realized_pnl + unrealized_pnl + net_cash_flow'),
  realized_pnl: z.number(),
  unrealized_pnl: z.number().describe("open positions' unrealised P&L plus holdings_pnl"),
  holdings_pnl: z
    .number()
    .describe('value change of coins the account holds outside positions (dust, coins deposited or bought by hand) since they came'),
  net_cash_flow: z.number().describe('deposits minus withdrawals (and trades made by hand), valued when they happened: never P&L'),
  fees_paid: z.number().describe('fees of every closed trade plus the entry fees of open positions'),
  trade_fees: z.number().describe("fees of closed trades alone (fees_paid without the open positions' entry fees)"),
  trades_count: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  gross_profit: z.number().describe('sum of the pnl of winning trades'),
  gross_loss: z.number().describe('minus the sum of the pnl of losing trades (≥ 0)'),
  last_trade_id: z
    .number()
    .int()
    .nullable()
    .describe('the newest trade these figures include: a client folding trade events in skips ids up to it'),
  best_trade_pnl: z.number().nullable().describe('pnl of the best closed trade; null before the first trade'),
  worst_trade_pnl: z.number().nullable().describe('pnl of the worst closed trade; null before the first trade'),
  win_rate: z.number().describe('wins / trades_count, 0..1; 0 when there are no trades'),
  profit_factor: z.number().nullable().describe('gross profit / gross loss; null when there is no losing trade'),
  max_drawdown_pct: z
    .number()
    .describe('largest fall of equity from its running peak, percent, over the whole history (survives restarts)'),
  open_positions: z.number().int(),
  today_pnl: z.number().describe('equity minus the equity at the start of the current UTC day (market time)'),
});
export type Stats = z.infer<typeof StatsSchema>;

export const AssetBalanceSchema = z.object({
  asset: z.string(),
  free: z.number(),
  used: z.number().describe('held by resting orders'),
  total: z.number(),
});
export type AssetBalance = z.infer<typeof AssetBalanceSchema>;

export const CASH_FLOW_KINDS = ['deposit', 'withdrawal', 'external'] as const;
export const CashFlowSchema = z.object({
  id: z.number().int(),
  ts: z.number(),
  asset: z.string(),
  amount: z.number().describe('what came in (> 0) or went out (< 0), in the asset'),
  value: z.number().describe('amount valued in the stake currency when it was found'),
  kind: z.enum(CASH_FLOW_KINDS).describe('external: base and quote moved together (a trade by hand)'),
});
export type CashFlow = z.infer<typeof CashFlowSchema>;

export const EquityPointSchema = z.object({ ts: z.number(), equity: z.number() });
export type EquityPoint = z.infer<typeof EquityPointSchema>;

/** [ts_ms, open, high, low, close, volume] as in candle files. */
export const CandleTupleSchema = z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]);
export const CandleSchema = z.object({
  ts: z.number(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});
export type Candle = z.infer<typeof CandleSchema>;

export const SignalSchema = z.object({
  ts: z.number(),
  action: z.enum(['enter', 'exit']),
  price: z.number(),
  reason: z.string(),
  accepted: z.boolean(),
  rejected_because: z.string().nullable(),
});
export type Signal = z.infer<typeof SignalSchema>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevelSchema>;
export const LogRecordSchema = z.looseObject({ ts: z.number(), level: LogLevelSchema, msg: z.string() });
export type LogRecord = z.infer<typeof LogRecordSchema>;

export const AuditRecordSchema = z.object({
  id: z.number().int(),
  ts: z.number(),
  action: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
