import type { Order, Trade } from '../../../src-shared/contract';
import type { PositionRecord } from '../ports/journal.port';

/**
 * The trade an exit books: `sold` of the position at the exit's average price, carrying `entryFee` (the position's
 * entry fee, or its share of it when the exit filled in part) and the exit's own fee. P&L is net of both. Arguments
 * rather than an options object: one trade per call, and the object was garbage per trade when not inlined.
 */
export function exitTrade(
  id: number,
  position: PositionRecord,
  exit: Order,
  sold: number,
  entryFee: number,
  at: number,
  configVersion: number,
): Trade {
  const exitPrice = exit.average_price as number;
  const fee = entryFee + exit.fee;
  const pnl = (exitPrice - position.entry_price) * sold - fee;
  return {
    id,
    position_id: position.id,
    symbol: position.symbol,
    side: 'long',
    amount: sold,
    entry_price: position.entry_price,
    exit_price: exitPrice,
    entry_time: position.opened_at,
    exit_time: at,
    fee,
    pnl,
    pnl_pct: (pnl / (position.entry_price * sold)) * 100,
    exit_reason: exit.exit_reason ?? 'manual',
    config_version: configVersion,
  };
}
