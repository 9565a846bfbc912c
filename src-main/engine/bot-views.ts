import { quoteOf, type Position, type Status } from '../../src-shared/contract';
import type { Executor } from './execution/executor';
import { todayPnl } from './kept-stats';
import type { TradingCore } from './trading-core';

/** The money side of /bot/status: the books and the trading core as they stand, with what needs a person. */
export function tradingView(
  core: TradingCore,
  executor: Executor,
  attention: readonly string[],
): Pick<
  Status,
  'open_positions' | 'pending_orders' | 'equity' | 'today_pnl' | 'equity_ts' | 'last_price' | 'applied_config_version' | 'attention'
> {
  return {
    open_positions: executor.tradablePositionCount,
    pending_orders: executor.pendingOrders().length,
    equity: core.equity,
    today_pnl: todayPnl(core.equity, core.dayStart),
    equity_ts: Number.isFinite(core.lastTs) && core.lastTs > 0 ? core.lastTs : null,
    last_price: Number.isFinite(core.lastPrice) ? core.lastPrice : null,
    applied_config_version: core.appliedVersion,
    attention: core.emptyAccount ? [...attention, core.emptyAccount] : [...attention],
  };
}

type LifecycleView = Pick<Status, 'state' | 'running' | 'started_at' | 'uptime_s' | 'paused_reason' | 'paused_at'>;
type TradingView = ReturnType<typeof tradingView>;
type BotFacts = Pick<Status, 'mode' | 'exchange' | 'market' | 'sandbox' | 'symbol' | 'timeframe' | 'last_cycle_at' | 'config_version'>;

/**
 * /bot/status from its three parts, every field named in one literal in the schema's order: on Node 20 a spread
 * followed by more fields made new hidden classes on each call, old-generation garbage at every status event, which
 * kept the headless bot's memory rising (docs/benchmarks.md, memory).
 */
export function statusView(life: LifecycleView, trading: TradingView, bot: BotFacts): Status {
  return {
    state: life.state,
    running: life.running,
    mode: bot.mode,
    exchange: bot.exchange,
    market: bot.market,
    sandbox: bot.sandbox,
    symbol: bot.symbol,
    stake_currency: quoteOf(bot.symbol),
    timeframe: bot.timeframe,
    started_at: life.started_at,
    uptime_s: life.uptime_s,
    open_positions: trading.open_positions,
    pending_orders: trading.pending_orders,
    equity: trading.equity,
    equity_ts: trading.equity_ts,
    today_pnl: trading.today_pnl,
    last_price: trading.last_price,
    last_cycle_at: bot.last_cycle_at,
    config_version: bot.config_version,
    applied_config_version: trading.applied_config_version,
    paused_reason: life.paused_reason,
    paused_at: life.paused_at,
    attention: trading.attention,
  };
}

/** open positions valued at the last price (at their entry before any price is known) */
export function openPositionsView(core: TradingCore, executor: Executor): Position[] {
  const price = core.lastPrice;
  return executor.openPositions().map((p) => executor.toPosition(p, Number.isFinite(price) ? price : p.entry_price));
}
