import type { Order, Trade } from '../../../src-shared/contract';
import type { PositionRecord } from '../ports/journal.port';

/**
 * The trade an exit books: `sold` of the position at the exit's average price, carrying `entryFee` (the position's
 * entry fee, or its share of it when the exit filled in part) and the exit's own fee. P&L is net of both.
 */
export function exitTrade(o: {
  id: number;
  position: PositionRecord;
  exit: Order;
  sold: number;
  entryFee: number;
  at: number;
  configVersion: number;
}): Trade {
  const { position, exit, sold } = o;
  const exitPrice = exit.average_price as number;
  const fee = o.entryFee + exit.fee;
  const pnl = (exitPrice - position.entry_price) * sold - fee;
  return {
    id: o.id,
    position_id: position.id,
    symbol: position.symbol,
    side: 'long',
    amount: sold,
    entry_price: position.entry_price,
    exit_price: exitPrice,
    entry_time: position.opened_at,
    exit_time: o.at,
    fee,
    pnl,
    pnl_pct: (pnl / (position.entry_price * sold)) * 100,
    exit_reason: exit.exit_reason ?? 'manual',
    config_version: o.configVersion,
  };
}
