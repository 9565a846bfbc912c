import { z } from 'zod';

export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'] as const;
export const TimeframeSchema = z.enum(TIMEFRAMES);
export type Timeframe = z.infer<typeof TimeframeSchema>;

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const num = (min: number, max: number) => z.number().min(min).max(max);

/** Trend following: enter when the fast EMA crosses above the slow one (optionally only while RSI is below a ceiling); exit on the opposite cross. */
export const EmaCrossParamsSchema = z
  .strictObject({
    fast: int(2, 200).default(9),
    slow: int(3, 500).default(21),
    rsi_period: int(2, 100).default(14),
    /** 0 disables the RSI filter; otherwise entries need RSI below this value (avoid buying overbought). */
    rsi_max: num(0, 100).default(70),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be smaller than slow', path: ['fast'] });

/** Mean reversion: enter when RSI drops below `oversold`, exit when it rises above `overbought`. */
export const RsiReversionParamsSchema = z.strictObject({
  period: int(2, 100).default(14),
  oversold: num(1, 50).default(30),
  overbought: num(50, 99).default(70),
});

/** Mean reversion: enter on a close below the lower Bollinger band, exit on a close above the middle band. */
export const BollingerReversionParamsSchema = z.strictObject({
  period: int(2, 200).default(20),
  stddev: num(0.5, 5).default(2),
});

export const StrategySchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('ema_cross'), params: EmaCrossParamsSchema.default(EmaCrossParamsSchema.parse({})) }),
  z.strictObject({ name: z.literal('rsi_reversion'), params: RsiReversionParamsSchema.default(RsiReversionParamsSchema.parse({})) }),
  z.strictObject({
    name: z.literal('bollinger_reversion'),
    params: BollingerReversionParamsSchema.default(BollingerReversionParamsSchema.parse({})),
  }),
]);
export type StrategyConfig = z.infer<typeof StrategySchema>;
export type EmaCrossParams = z.infer<typeof EmaCrossParamsSchema>;
export type RsiReversionParams = z.infer<typeof RsiReversionParamsSchema>;
export type BollingerReversionParams = z.infer<typeof BollingerReversionParamsSchema>;
export const STRATEGY_NAMES = ['ema_cross', 'rsi_reversion', 'bollinger_reversion'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const SymbolSchema = z.string().regex(/^[A-Z0-9]{2,15}\/[A-Z0-9]{2,15}$/, 'must look like BASE/QUOTE, e.g. BTC/USDT');

/** Field shapes of the bot config (seed fields first). Ranges come from docs/contract.md §4. */
export const configFields = {
  symbol: SymbolSchema,
  timeframe: TimeframeSchema,
  position_size_pct: num(1, 100),
  stop_loss_pct: num(0.1, 50),
  take_profit_pct: num(0.1, 1000),
  max_positions: int(1, 50),
  enabled: z.boolean(),
  strategy: StrategySchema,
  /** Kill switch: when the day's loss reaches this % of the day's starting equity the bot pauses itself. 0 = off. */
  max_daily_loss_pct: num(0, 100),
  /** Paper trading fee per fill, % of notional. */
  fee_pct: num(0, 5),
  /** Paper trading slippage on market fills, % of price. */
  slippage_pct: num(0, 5),
  /**
   * What a paper account starts with, in the stake currency (the quote). Changeable only before the first order; it
   * follows the quote's default when the symbol moves to another quote and no value is sent with it.
   */
  paper_balance: z.number().gt(0).max(1e12),
  /**
   * Live entries' price band: an entry is sent as a limit IOC at the last price plus this %, so it never fills above
   * that; what does not fill at once is dropped and reported. Exits stay at market. Paper uses slippage_pct instead.
   */
  max_slippage_pct: num(0, 10),
  /**
   * Trailing stop: after each candle the stop rises to this % below the candle's high, never down. 0 = off; otherwise
   * 0.1–50 like stop_loss_pct. Applies to every open position from the next candle on (docs/contract.md §4).
   */
  trailing_stop_pct: num(0, 50).refine((v) => v === 0 || v >= 0.1, { message: 'must be 0 (off) or between 0.1 and 50' }),
  /** The profit (% above the entry) a candle's high must reach before the stop trails. 0 = it trails from the entry on. */
  trailing_activation_pct: num(0, 1000),
} as const;

export const CROSS_FIELD_MESSAGE = 'position_size_pct × max_positions must not exceed 100 (spot, no leverage)';

export const TRAILING_ACTIVATION_MESSAGE =
  'trailing_activation_pct needs a trailing stop: set trailing_stop_pct above 0, or trailing_activation_pct to 0';

export function crossFieldProblems(
  c: Pick<BotConfig, 'position_size_pct' | 'max_positions'> & Partial<Pick<BotConfig, 'trailing_stop_pct' | 'trailing_activation_pct'>>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  if (c.position_size_pct * c.max_positions > 100 + 1e-9) {
    problems.position_size_pct = problems.max_positions = CROSS_FIELD_MESSAGE;
  }
  // an activation profit without a trailing distance would be a setting that silently does nothing
  if ((c.trailing_activation_pct ?? 0) > 0 && c.trailing_stop_pct === 0) {
    problems.trailing_stop_pct = problems.trailing_activation_pct = TRAILING_ACTIVATION_MESSAGE;
  }
  return problems;
}

export const BotConfigSchema = z.strictObject(configFields).superRefine((c, ctx) => {
  for (const [field, message] of Object.entries(crossFieldProblems(c))) ctx.addIssue({ code: 'custom', message, path: [field] });
});
export type BotConfig = z.infer<typeof BotConfigSchema>;

/** A partial update: only the keys sent are changed (docs/contract.md §4). Strict: unknown keys are rejected. */
export const ConfigPatchSchema = z.strictObject(configFields).partial();
export type ConfigPatch = z.infer<typeof ConfigPatchSchema>;

export const VersionedConfigSchema = BotConfigSchema.and(z.object({ version: z.number().int().min(1) }));
export type VersionedConfig = BotConfig & { version: number };

export const DEFAULT_CONFIG: BotConfig = {
  symbol: 'XRP/USDT',
  timeframe: '5m',
  position_size_pct: 20,
  stop_loss_pct: 1.5,
  take_profit_pct: 3,
  max_positions: 3,
  enabled: true,
  strategy: { name: 'ema_cross', params: { fast: 9, slow: 21, rsi_period: 14, rsi_max: 70 } },
  max_daily_loss_pct: 5,
  fee_pct: 0.1,
  slippage_pct: 0.05,
  paper_balance: 10_000,
  max_slippage_pct: 0.5,
  trailing_stop_pct: 0,
  trailing_activation_pct: 0,
};

/** The stake currency of a market: its quote (`ETH/BTC` → `BTC`). */
export const quoteOf = (symbol: string): string => symbol.slice(symbol.indexOf('/') + 1);

/** quotes a trader counts in (roughly one unit = one US dollar or euro): a paper account gets 10,000 of them */
const DOLLAR_LIKE = new Set(['USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USDP', 'DAI', 'USD', 'EUR', 'EURC', 'GBP', 'CHF']);
/** other quotes: about 10,000 US dollars' worth, rounded to a number a person would pick */
const PAPER_BALANCE_BY_QUOTE: Record<string, number> = { BTC: 0.1, ETH: 3, BNB: 15, SOL: 50, TRY: 300_000, JPY: 1_500_000 };

/** The paper account a market starts with when `paper_balance` was not chosen: in its quote, worth about $10,000. */
export function defaultPaperBalance(quote: string): number {
  return DOLLAR_LIKE.has(quote) ? 10_000 : (PAPER_BALANCE_BY_QUOTE[quote] ?? 10_000);
}

/** A patch laid over a config: a symbol with another quote brings that quote's paper balance unless one is sent. */
export function mergeConfigPatch(current: BotConfig, patch: ConfigPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current, ...patch };
  const quote = typeof patch.symbol === 'string' ? quoteOf(patch.symbol) : null;
  if (quote !== null && quote !== quoteOf(current.symbol) && patch.paper_balance === undefined)
    merged.paper_balance = defaultPaperBalance(quote);
  return merged;
}

/** A config saved by an older BotDesk: a field added since takes its default (`paper_balance` its quote's). */
export function withConfigDefaults(config: Partial<BotConfig> & Pick<BotConfig, 'symbol'>): BotConfig {
  return { ...DEFAULT_CONFIG, paper_balance: defaultPaperBalance(quoteOf(config.symbol)), ...config };
}

/**
 * Where a config change came from, in a line a person reads in the config history (docs/contract.md §4, a project
 * addition): "lab backtest job 12", "lab sweep job 14, run 3". Optional; without it the reason is "update".
 */
export const ConfigSourceSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(160, 'at most 160 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must be one line of text without control characters');

export const ConfigChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

export const ConfigVersionSchema = z.object({
  version: z.number().int(),
  created_at: z.number(),
  actor: z.string().describe('who made the change: "api:control", "ipc", "system", "startup"'),
  reason: z.string(),
  changes: z.array(ConfigChangeSchema),
  config: BotConfigSchema,
});
export type ConfigVersion = z.infer<typeof ConfigVersionSchema>;
