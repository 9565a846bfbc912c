import { errorLine } from '../engine/log/redact';
import { ServiceError, type BotOperationHandlers, type CallerContext, type LabOperationName, type Status } from '../../src-shared/contract';
import type { Bot } from '../engine/bot';
import type { ConfigManager } from '../engine/config/config-manager';
import type { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import type { Logger } from '../engine/log/logger';
import type { EventBus } from '../engine/events/event-bus';
import { createAudit } from './audit';
import { nextTradeCursor, tradeWindowOf } from './trade-cursor';
import { closeAllPauseReason } from '../../src-shared/pause-reasons';

export interface HandlerDeps {
  bot: Bot;
  config: ConfigManager;
  store: SqliteStore;
  logger: Logger;
  events: EventBus;
  now?: () => number;
}

/**
 * The one implementation of every operation, called by the HTTP routes and the IPC handlers alike
 * (both through invokeOperation, which parses input and filters output with the shared contract).
 */
export function createOperationHandlers(d: HandlerDeps): Omit<BotOperationHandlers, LabOperationName> {
  const now = d.now ?? Date.now;
  const { bot } = d;
  const audit = createAudit({ store: d.store, logger: d.logger, now });
  const transition = (action: string, caller: CallerContext, change: () => boolean) =>
    bot.serial(() => {
      const changed = change();
      if (changed) audit(action, caller);
      return { success: true as const, status: bot.status(), changed };
    });
  const openPositions = () => bot.heldPositions;

  return {
    getHealth: () => ({ status: 'ok' as const }),
    startBot: (_i, c) => transition('start', c, () => bot.start()),
    stopBot: (_i, c) => transition('stop', c, () => bot.stop()),
    pauseBot: (_i, c) =>
      transition('pause', c, () => {
        if (bot.currentState === 'stopped') throw new ServiceError(409, 'The bot is stopped; start it before pausing.');
        return bot.pause();
      }),
    resumeBot: (_i, c) =>
      transition('resume', c, () => {
        if (bot.currentState === 'stopped') throw new ServiceError(409, 'The bot is stopped; use start instead of resume.');
        return bot.resume();
      }),
    getStatus: () => bot.status(),
    getConfig: () => ({ ...d.config.current.config, version: d.config.current.version }),
    updateConfig: (input, c) =>
      bot.serial(() => {
        const v = d.config.update({
          patch: input.body,
          actor: c.actor,
          reason: input.query.source,
          ifMatch: input.if_match,
          openPositions: openPositions(),
          now: now(),
        });
        d.store.appendAudit({
          ts: now(),
          action: 'update_config',
          actor: c.actor,
          detail: {
            version: v.version,
            fields: v.changes.map((x) => x.field),
            ...(input.query.source ? { source: input.query.source } : {}),
          },
        });
        return { success: true as const, config: { ...v.config, version: v.version }, version: v.version };
      }),
    getConfigHistory: (input) => ({ versions: d.config.history(input.query.limit) }),
    rollbackConfig: (input, c) =>
      bot.serial(() => {
        const v = d.config.rollback(input.body.version, c.actor, openPositions(), now());
        audit('rollback_config', c, { to: input.body.version, version: v.version });
        return { success: true as const, config: { ...v.config, version: v.version }, version: v.version };
      }),
    // kept figures, O(open positions): computeStats over the trade list is the oracle they are checked against
    getStats: () => bot.stats(),
    getCashflows: (input) => ({ cashflows: d.store.cashFlows(input.query) }),
    writeOffPosition: (input, c) =>
      bot.serial(() => {
        const id = input.params.id;
        const outcome = bot.byHand.writeOffDust(id);
        if (outcome === 'not_found') throw new ServiceError(404, `There is no open position ${id}.`);
        if (outcome === 'not_dust')
          throw new ServiceError(409, `Position ${id} is not dust (the exchange would sell it); close it instead.`);
        audit('write_off_position', c, { position_id: id });
        return { success: true as const, position_id: id };
      }),
    getPositions: () => bot.positions(),
    openPosition: (input, c) =>
      bot.serial(async () => {
        if (bot.currentState === 'stopped') throw new ServiceError(409, 'The bot is stopped; start it before opening a position.');
        const r = await bot.byHand.enter(input.body?.size_pct);
        if (!r.ok) throw 'conflict' in r ? new ServiceError(409, r.conflict) : new ServiceError(502, r.refused);
        audit('open_position', c, {
          position_id: r.position.id,
          amount: r.position.amount,
          entry_price: r.position.entry_price,
          size_pct: input.body?.size_pct ?? null,
        });
        return { success: true as const, position: r.position };
      }),
    getBalances: async () => {
      try {
        return { balances: await bot.assetBalances() };
      } catch (e) {
        throw new ServiceError(502, `The exchange did not give the balances: ${errorLine(e)}`);
      }
    },
    closePosition: (input, c) =>
      bot.serial(async () => {
        const id = input.params.id;
        const r = await bot.byHand.close(id);
        if (r.kind === 'not_found') throw new ServiceError(404, `There is no open position ${id}.`);
        if (r.kind === 'dust') {
          throw new ServiceError(
            409,
            `Position ${id} (${r.amount}) is under the market minimum, so the exchange will not sell it; sell it by hand if you wish, then write it off (POST /bot/positions/${id}/write-off).`,
          );
        }
        if (r.kind === 'partial') {
          audit('close_position', c, { position_id: id, partial: true, sold: r.sold, left: r.left });
          throw new ServiceError(
            409,
            `Position ${id} was sold only in part (${r.sold} of ${r.held}); the rest (${r.left}) stays open with its stop-loss. See GET /bot/trades.`,
          );
        }
        if (r.kind === 'not_closed') throw new ServiceError(409, `Position ${id} could not be closed; see the logs.`);
        const { trade } = r;
        audit('close_position', c, { position_id: id, trade_id: trade.id, pnl: trade.pnl });
        return { success: true as const, trade };
      }),
    getTrades: (input) => {
      const page = d.store.queryTrades(tradeWindowOf(input.query));
      return {
        trades: page.trades,
        next_cursor: nextTradeCursor(page.next, input.query),
        total: page.total,
        total_pnl: page.total_pnl,
      };
    },
    getOrders: (input) => ({ orders: d.store.listOrders(input.query.status, input.query.limit) }),
    getLogs: (input) => d.logger.tail(input.query.level, input.query.limit),
    getEquity: (input) => ({ points: d.store.queryEquity(input.query).points }),
    getCandles: (input) => {
      const { config } = d.config.current;
      return { symbol: config.symbol, timeframe: config.timeframe, candles: bot.recentCandles(input.query.limit) };
    },
    closeAll: (_i, c) =>
      bot.serial(async () => {
        // flatten and hold: entries stop first so the strategy cannot buy back in the next cycle
        if (bot.currentState === 'running') bot.pause(closeAllPauseReason(c.actor));
        // a market exit that filled in part is a trade for that part; the rest stays open, protected again
        const { closed, left } = await bot.byHand.closeAll();
        audit('close_all', c, { closed: closed.length, trade_ids: closed.map((t) => t.id), left });
        return { success: true as const, closed, status: bot.status() as Status };
      }),
    cancelPending: (_i, c) =>
      bot.serial(async () => {
        const cancelled = await bot.byHand.cancelPending();
        audit('cancel_pending', c, { cancelled });
        return { success: true as const, cancelled };
      }),
    getAudit: (input) => ({ records: d.store.listAudit(input.query.limit) }),
  };
}
