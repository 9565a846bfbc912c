import type { Position, Status } from '../../src-shared/contract';
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

/** open positions valued at the last price (at their entry before any price is known) */
export function openPositionsView(core: TradingCore, executor: Executor): Position[] {
  const price = core.lastPrice;
  return executor.openPositions().map((p) => executor.toPosition(p, Number.isFinite(price) ? price : p.entry_price));
}
