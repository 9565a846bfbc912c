import { ERROR_CODES } from '../../src-shared/contract';
import type { EventBus } from './events/event-bus';
import type { Logger } from './log/logger';
import type { ExchangePort } from './ports/exchange.port';
import type { Executor, ExecutionListener } from './execution/executor';
import type { TradingCore } from './trading-core';

export interface ExecutionEventsOptions {
  exchange: ExchangePort;
  events: EventBus;
  logger: Logger;
  /** the bot's executor and core (made after this listener, so looked up when something happens) */
  executor(): Executor;
  core(): TradingCore;
  /** a live account is read after each fill (bot.ts) */
  readAccountSoon(): void;
  publishStatus(force: boolean): void;
}

/** What the executor's orders, fills and positions become for everyone else: events, log lines, a fresh status. */
export function executionEvents(o: ExecutionEventsOptions): ExecutionListener {
  return {
    order: (order) => {
      o.exchange.sharedBalances?.invalidate(); // the account changed, or is about to: readers get it fresh
      o.events.publish('order', { ...order });
    },
    positionOpened: (p) => {
      o.core().remark();
      o.readAccountSoon();
      o.logger.info(`opened position #${p.id}: ${p.amount} ${p.symbol} at ${p.entry_price}`, {
        position_id: p.id,
        stop_loss: p.stop_loss_price,
        take_profit: p.take_profit_price,
      });
      o.events.publish('position', o.executor().positionEvent(p, o.core().lastPrice || p.entry_price, 'open'));
      o.publishStatus(true);
    },
    positionClosed: (p, t) => {
      o.core().remark();
      o.readAccountSoon();
      o.logger.info(`closed position #${p.id} (${t.exit_reason}): pnl ${t.pnl.toFixed(4)}`, {
        trade_id: t.id,
        exit_price: t.exit_price,
      });
      o.events.publish('position', o.executor().positionEvent(p, t.exit_price, 'closed'));
      o.events.publish('trade', t);
      o.publishStatus(true);
    },
    positionReduced: (p, t) => {
      o.core().remark();
      o.readAccountSoon();
      o.logger.info(`sold ${t.amount} of position #${p.id} (${t.exit_reason}, filled in part): pnl ${t.pnl.toFixed(4)}; ${p.amount} left`, {
        trade_id: t.id,
        exit_price: t.exit_price,
      });
      // the trade first: every view folds its part out of the position, then the position's new size confirms it
      o.events.publish('trade', t);
      o.events.publish('position', o.executor().positionEvent(p, o.core().lastPrice || t.exit_price, 'open'));
      o.publishStatus(true);
    },
    stopMoved: (p) => {
      // every candle of a rising market: debug, and a position event so every view shows the new stop
      o.logger.debug(`position #${p.id}: trailing stop raised to ${p.stop_loss_price}`, { position_id: p.id });
      o.events.publish('position', o.executor().positionEvent(p, o.core().lastPrice || p.entry_price, 'open'));
    },
    unprotectable: (p, reason) => {
      o.logger.warn(`position #${p.id} cannot be protected on the exchange: ${reason}; sell it by hand on the exchange`, {
        position_id: p.id,
      });
      o.events.publish('error', { code: ERROR_CODES.exchange, message: `position #${p.id} cannot be protected: ${reason}` });
    },
    rejected: (order, reason) => {
      o.logger.warn(`order ${order.client_order_id} rejected: ${reason}`);
      o.events.publish('error', {
        code: ERROR_CODES.orderRejected,
        message: `${order.side} ${order.amount} ${order.symbol} rejected: ${reason}`,
      });
    },
  };
}
