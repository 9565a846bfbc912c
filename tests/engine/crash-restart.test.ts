import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { openDatabase, type SqlDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import { createBotRuntime } from '../../src-main/app/runtime';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import { expectClose } from '../helpers/money';
import type { Trade } from '../../src-shared/contract';
import { totalsMismatch, totalsOf, type TradeTotals } from '../../src-main/engine/kept-stats';

/** Start the real bot in its own process, let it trade for a random moment, then kill -9 it. */
function runAndKill(dataDir: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/bot-process.ts', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`bot exited ${code}: ${stderr}`))));
  });
}

const count = (db: SqlDatabase, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe('kill -9 at any moment', () => {
  it('restarts with every position, order and trade, no duplicate order, every position protected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-crash-'));
    let tradesBefore = 0;
    for (let round = 0; round < 5; round++) {
      await runAndKill(dir, 150 + Math.floor(Math.random() * 700));
      const db = openDatabase(join(dir, 'botdesk.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check')).toBe('ok');
      const trades = count(db, 'SELECT count(*) AS n FROM trades');
      expect(trades).toBeGreaterThanOrEqual(tradesBefore); // nothing acknowledged is ever lost
      // the kept totals are written in each trade's transaction: in step with the trade list at any kill
      const kept = db
        .prepare('SELECT trades, wins, losses, realized, fees, gross_profit, gross_loss, best, worst, last_trade_id FROM trade_totals')
        .get() as TradeTotals;
      expect(totalsMismatch(kept, totalsOf(db.prepare('SELECT * FROM trades ORDER BY id').all() as Trade[]))).toEqual([]);
      tradesBefore = trades;
      db.close();
    }
    expect(tradesBefore).toBeGreaterThan(0);

    // Restart in-process: reconciliation runs before the strategy may act.
    const rt = await createBotRuntime({ dataDir: dir, market: { kind: 'synthetic', seed: 7 }, replaySpeed: 'max' });
    await invokeOperation(rt.handlers, 'stopBot', {}, { actor: 'test' });
    try {
      const db = rt.store.db;
      expect(count(db, 'SELECT count(*) AS n FROM trades')).toBeGreaterThanOrEqual(tradesBefore);
      expect(count(db, 'SELECT count(*) - count(DISTINCT client_order_id) AS n FROM orders')).toBe(0);
      expect(count(db, 'SELECT count(*) - count(DISTINCT position_id) AS n FROM trades')).toBe(0);
      // every order the bot still counts active is known to the paper exchange, every order the paper exchange keeps is
      // one the bot journaled, in the same state; of the finished ones it keeps the recent (paper.exchange.ts), as a
      // restart leaves them
      expect(
        count(
          db,
          `SELECT count(*) AS n FROM orders o LEFT JOIN paper_orders p USING (client_order_id) WHERE p.client_order_id IS NULL AND o.status IN ('new', 'open')`,
        ),
      ).toBe(0);
      expect(
        count(db, `SELECT count(*) AS n FROM paper_orders p LEFT JOIN orders o USING (client_order_id) WHERE o.client_order_id IS NULL`),
      ).toBe(0);
      expect(
        count(
          db,
          `SELECT count(*) AS n FROM paper_orders p JOIN orders o USING (client_order_id) WHERE o.status != p.state ->> '$.status'`,
        ),
      ).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM paper_orders WHERE state ->> '$.status' != 'open'`)).toBeLessThanOrEqual(65);
      expect(count(db, `SELECT count(*) AS n FROM paper_orders WHERE state ->> '$.status' != 'open'`)).toBeGreaterThan(0);

      const open = rt.bot.executor.openPositions();
      for (const p of open) {
        const protective = rt.bot.executor.activeOrders().filter((o) => o.position_id === p.id);
        expect(protective.map((o) => o.purpose).sort()).toEqual(['stop_loss', 'take_profit']);
      }
      // the exchange's balances agree with the journal's positions and trades, to the cent and beyond
      const balances = JSON.parse(rt.store.getMeta('paper_balances') as string) as { base: number; quote: number };
      const realized = rt.store.realizedPnl();
      expectClose(
        balances.base,
        open.reduce((s, p) => s + p.amount, 0),
        1e-9,
      );
      expectClose(balances.quote, 10_000 + realized - open.reduce((s, p) => s + p.amount * p.entry_price + p.entry_fee, 0), 1e-9);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
