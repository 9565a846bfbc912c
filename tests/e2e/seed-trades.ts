// Writes closed trades into a bot database before the server starts (bench and paging tests), through the store's own
// journal (open, then close each position), so the rows, their kept JSON and the kept totals are what a bot writes.
import type { Order, Trade } from '../../src-shared/contract';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import type { PositionRecord } from '../../src-main/engine/ports/journal.port';

export const SEED_T0 = Date.UTC(2024, 0, 1);
/** one trade every 10 minutes from SEED_T0, each held 5 minutes */
export const seededExitTime = (id: number) => SEED_T0 + id * 600_000 + 300_000;

const SYMBOL = 'XRP/USDT';
const AMOUNT = 100;
const ENTRY = 0.5;

function filledOrder(id: number, side: 'buy' | 'sell', price: number, at: number, positionId: number): Order {
  return {
    id,
    client_order_id: `seed-${id}`,
    exchange_order_id: null,
    symbol: SYMBOL,
    side,
    type: 'market',
    purpose: side === 'buy' ? 'entry' : 'exit',
    amount: AMOUNT,
    price: null,
    trigger_price: null,
    status: 'filled',
    filled: AMOUNT,
    average_price: price,
    fee: 0,
    position_id: positionId,
    exit_reason: side === 'buy' ? null : 'signal',
    created_at: at,
    updated_at: at,
    config_version: 1,
  };
}

/** `n` alternating +1.5/−1.5 USDT trades, so the P&L sums to about zero and the equity stays sane. */
export function seedTrades(dataDir: string, n: number): void {
  const store = new SqliteStore(dataDir);
  store.db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const pnl = i % 2 ? 1.5 : -1.5;
      const entryTime = seededExitTime(i) - 300_000;
      const exitPrice = ENTRY + pnl / AMOUNT;
      const exitReason = i % 3 ? 'take_profit' : 'stop_loss';
      const position: PositionRecord = {
        id: i,
        symbol: SYMBOL,
        amount: AMOUNT,
        entry_price: ENTRY,
        entry_fee: 0,
        stop_loss_price: ENTRY - 0.015,
        take_profit_price: ENTRY + 0.015,
        opened_at: entryTime,
        config_version: 1,
        entry_client_order_id: `seed-${2 * i - 1}`,
        status: 'open',
        closed_at: null,
        stop_trailed: 0,
      };
      store.openPosition(position, filledOrder(2 * i - 1, 'buy', ENTRY, entryTime, i));
      const trade: Trade = {
        id: i,
        position_id: i,
        symbol: SYMBOL,
        side: 'long',
        amount: AMOUNT,
        entry_price: ENTRY,
        exit_price: exitPrice,
        entry_time: entryTime,
        exit_time: seededExitTime(i),
        fee: 0,
        pnl,
        pnl_pct: (pnl / (AMOUNT * ENTRY)) * 100,
        exit_reason: exitReason,
        config_version: 1,
      };
      const exit = { ...filledOrder(2 * i, 'sell', exitPrice, trade.exit_time, i), exit_reason: exitReason } as const;
      store.closePosition({ ...position, status: 'closed', closed_at: trade.exit_time }, exit, trade);
    }
  });
  store.close();
}
