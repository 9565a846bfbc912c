import { DEFAULT_LIVE_LIMITS, SymbolSchema, type LiveLimitsSettings } from '../../src-shared/contract';

/**
 * Live limits (docs/contract.md §9): the markets live trading may use, the kill switch's ceiling and the most one order may
 * be worth. Set where the keys are set (environment headless, Settings in the desktop window), never over the
 * management API, so a control token trades inside them and cannot lift them.
 */
export interface LiveLimits {
  /** symbols live trading may use; empty: the config's symbol at start */
  markets: string[];
  /** in live mode max_daily_loss_pct must be > 0 and at most this */
  maxDailyLossPct: number;
  /** the most one entry order may be worth, in the stake currency; null: no cap */
  maxOrder: number | null;
  /** where each came from, for the sentences that name the limit */
  source: { markets: string; maxDailyLossPct: string; maxOrder: string };
}

/** the variables that were set (each wins over the desktop Settings) */
export interface LiveLimitsFromEnv {
  markets?: string[];
  maxDailyLossPct?: number;
  maxOrder?: number;
}

export const LIVE_LIMIT_VARS = ['BOT_LIVE_MARKETS', 'BOT_LIVE_MAX_DAILY_LOSS_PCT', 'BOT_LIVE_MAX_ORDER'] as const;

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** BOT_LIVE_*: a bad value is one line naming the variable (the caller turns it into its EnvError). */
export function parseLiveLimitsEnv(env: NodeJS.ProcessEnv, fail: (message: string) => Error): LiveLimitsFromEnv {
  const out: LiveLimitsFromEnv = {};
  const marketsText = env.BOT_LIVE_MARKETS?.trim();
  if (marketsText) {
    const markets: string[] = [];
    for (const part of marketsText
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)) {
      const symbol = part.toUpperCase();
      if (!SymbolSchema.safeParse(symbol).success) {
        throw fail(`BOT_LIVE_MARKETS: "${part}" is not a market; write BASE/QUOTE symbols separated by commas, e.g. ETH/BTC,LTC/BTC.`);
      }
      if (!markets.includes(symbol)) markets.push(symbol);
    }
    if (markets.length) out.markets = markets;
  }
  const ceilingText = env.BOT_LIVE_MAX_DAILY_LOSS_PCT?.trim();
  if (ceilingText) {
    const n = Number(ceilingText);
    if (!DECIMAL.test(ceilingText) || !(n > 0 && n <= 100)) {
      throw fail(
        `BOT_LIVE_MAX_DAILY_LOSS_PCT=${ceilingText} is not a percentage above 0 and at most 100 (default ${DEFAULT_LIVE_LIMITS.max_daily_loss_pct}).`,
      );
    }
    out.maxDailyLossPct = n;
  }
  const maxOrderText = env.BOT_LIVE_MAX_ORDER?.trim();
  if (maxOrderText) {
    const n = Number(maxOrderText);
    if (!DECIMAL.test(maxOrderText) || !(n > 0)) {
      throw fail(
        `BOT_LIVE_MAX_ORDER=${maxOrderText} is not an amount above 0 (the most one order may be worth, in the stake currency, e.g. 250).`,
      );
    }
    out.maxOrder = n;
  }
  return out;
}

/** the limits in force: each variable that is set, else what the desktop Settings saved, else the default */
export function resolveLiveLimits(fromEnv: LiveLimitsFromEnv = {}, saved: LiveLimitsSettings = DEFAULT_LIVE_LIMITS): LiveLimits {
  const settingsSource = (what: string) => `the live limits in Settings (${what})`;
  return {
    markets: fromEnv.markets ?? saved.markets,
    maxDailyLossPct: fromEnv.maxDailyLossPct ?? saved.max_daily_loss_pct,
    maxOrder: fromEnv.maxOrder ?? saved.max_order,
    source: {
      markets: fromEnv.markets
        ? 'BOT_LIVE_MARKETS'
        : saved.markets.length
          ? settingsSource('markets')
          : "BOT_LIVE_MARKETS unset: the config's symbol at start",
      maxDailyLossPct:
        fromEnv.maxDailyLossPct !== undefined
          ? 'BOT_LIVE_MAX_DAILY_LOSS_PCT'
          : saved.max_daily_loss_pct !== DEFAULT_LIVE_LIMITS.max_daily_loss_pct
            ? settingsSource('daily loss ceiling')
            : 'BOT_LIVE_MAX_DAILY_LOSS_PCT, default',
      maxOrder: fromEnv.maxOrder !== undefined ? 'BOT_LIVE_MAX_ORDER' : settingsSource('max order'),
    },
  };
}

export const liveLimitsFromEnvNames = (fromEnv: LiveLimitsFromEnv): (typeof LIVE_LIMIT_VARS)[number][] => [
  ...(fromEnv.markets ? ['BOT_LIVE_MARKETS' as const] : []),
  ...(fromEnv.maxDailyLossPct !== undefined ? ['BOT_LIVE_MAX_DAILY_LOSS_PCT' as const] : []),
  ...(fromEnv.maxOrder !== undefined ? ['BOT_LIVE_MAX_ORDER' as const] : []),
];
