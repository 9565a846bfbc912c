// Writes closed trades straight into a bot database before the server starts (bench and paging tests).
import type { Trade } from '../../src-shared/contract';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';

export const SEED_T0 = Date.UTC(2024, 0, 1);
/** one trade every 10 minutes from SEED_T0, each held 5 minutes */
export const seededExitTime = (id: number) => SEED_T0 + id * 600_000 + 300_000;

/** `n` alternating +1.5/−1.5 USDT trades, so the P&L sums to about zero and the equity stays sane. */
export function seedTrades(dataDir: string, n: number): void {
  const store = new SqliteStore(dataDir);
  const cols = [
    'id',
    'position_id',
    'symbol',
    'side',
    'amount',
    'entry_price',
    'exit_price',
    'entry_time',
    'exit_time',
    'fee',
    'pnl',
    'pnl_pct',
    'exit_reason',
    'config_version',
  ];
  const insert = store.db.prepare(`INSERT INTO trades (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
  store.db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const pnl = i % 2 ? 1.5 : -1.5;
      const trade: Trade = {
        id: i,
        position_id: i,
        symbol: 'XRP/USDT',
        side: 'long',
        amount: 100,
        entry_price: 0.5,
        exit_price: 0.5 + pnl / 100,
        entry_time: seededExitTime(i) - 300_000,
        exit_time: seededExitTime(i),
        fee: 0,
        pnl,
        pnl_pct: (pnl / 50) * 100,
        exit_reason: i % 3 ? 'take_profit' : 'stop_loss',
        config_version: 1,
      };
      insert.run(trade);
    }
  });
  store.db.close();
}
