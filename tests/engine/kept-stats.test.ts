// Stats kept as trades close and equity arrives: equal to computeStats over the trade list after every trade, persisted
// with the trade, surviving restarts, and rebuilt (with a warning) when the database disagrees with itself.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import type { LogRecord, Trade } from '../../src-shared/contract';
import { createBotRuntime } from '../../src-main/app/runtime';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import { createLogger } from '../../src-main/engine/log/logger';
import { computeStats } from '../../src-main/engine/stats';
import { totalsMismatch, totalsOf } from '../../src-main/engine/kept-stats';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { MIGRATIONS } from '../../src-main/engine/adapters/sqlite/migrations';
import { historySeries, seedHistory, SYNTHETIC_START } from '../helpers/seed-history';
import { XRP_5M } from '../helpers/candles';
import { expectClose } from '../helpers/money';
import { waitFor } from '../helpers/wait';

const made: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `botdesk-${name}-`));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const CANDLES = 60_000;

function seedXrp(dataDir: string, onTrade?: (t: Trade, store: SqliteStore) => void) {
  return seedHistory({ dataDir, series: historySeries(CANDLES, 300_000, XRP_5M), batch: 5_000, onTrade });
}

describe('kept stats', () => {
  it('equal computeStats over the trade list after every trade of a long replay (the sums to the last bit)', () => {
    const seen: Trade[] = [];
    let checked = 0;
    const seeded = seedXrp(tempDir('kept'), (trade, store) => {
      seen.push(trade);
      const kept = store.tradeTotals();
      const oracle = totalsOf(seen);
      expect(totalsMismatch(kept, oracle, 1e-9), `after trade ${trade.id}`).toEqual([]);
      // same additions in the same order: not merely close
      expect(kept.realized).toBe(oracle.realized);
      expect(kept.fees).toBe(oracle.fees);
      checked++;
    });
    expect(seeded.trades).toBeGreaterThan(500);
    expect(checked).toBe(seeded.trades);
  });

  it("are what /bot/stats answers, survive a restart with max drawdown and the day's start", async () => {
    const dir = tempDir('kept-restart');
    seedXrp(dir);
    const open = () =>
      createBotRuntime({
        dataDir: dir,
        market: { kind: 'synthetic', seed: 5 },
        replaySpeed: 'max',
        logger: createLogger({ level: 'warn' }),
      });
    let rt = await open();
    await waitFor(() => rt.store.tradesVersion > 3, 'a few trades on the synthetic market', 30_000);
    await invokeOperation(rt.handlers, 'stopBot', {}, { actor: 'test' });
    const before = await invokeOperation(rt.handlers, 'getStats', {}, { actor: 'test' });
    const oracle = computeStats({
      trades: rt.store.allTrades(),
      startEquity: before.start_equity,
      openPositions: rt.bot.positions(),
      maxDrawdownPct: rt.bot.core.maxDrawdownPct,
      todayStart: rt.bot.core.dayStart,
      nowTs: rt.bot.core.lastTs,
      stakeCurrency: before.stake_currency,
      netCashFlow: before.net_cash_flow,
      holdingsPnl: before.holdings_pnl,
    });
    expect(before).toEqual(oracle);
    expect(before.max_drawdown_pct).toBeGreaterThan(0);
    await rt.close();

    rt = await open();
    try {
      await invokeOperation(rt.handlers, 'stopBot', {}, { actor: 'test' });
      const after = await invokeOperation(rt.handlers, 'getStats', {}, { actor: 'test' });
      expect(after.max_drawdown_pct).toBe(before.max_drawdown_pct);
      expect(after.realized_pnl).toBe(before.realized_pnl);
      expect(after.trades_count).toBe(before.trades_count);
      expect(after.best_trade_pnl).toBe(before.best_trade_pnl);
      expect(after.worst_trade_pnl).toBe(before.worst_trade_pnl);
      expectClose(rt.bot.core.dayStart, before.equity - before.today_pnl);
    } finally {
      await rt.close();
    }
  }, 60_000);

  it('a database that disagrees with itself is repaired at start-up, with a warning naming what was wrong', async () => {
    const dir = tempDir('kept-repair');
    seedXrp(dir);
    const db = openDatabase(join(dir, 'botdesk.sqlite'));
    db.prepare(`UPDATE trade_totals SET realized = realized + 1, wins = wins + 1`).run();
    db.prepare(`UPDATE trades SET run_pnl = run_pnl + 5 WHERE id = (SELECT max(id) / 2 FROM trades)`).run();
    db.prepare(`DELETE FROM equity_buckets WHERE level = 2`).run();
    db.close();

    const records: LogRecord[] = [];
    const logger = createLogger({ level: 'info' });
    logger.addSink((r) => records.push(r));
    const rt = await createBotRuntime({ dataDir: dir, market: { kind: 'synthetic', seed: 5 }, replaySpeed: 1, logger });
    try {
      await invokeOperation(rt.handlers, 'stopBot', {}, { actor: 'test' });
      const warned = records.filter((r) => r.level === 'warn').map((r) => r.msg);
      expect(warned.find((m) => m.includes('kept trade totals disagreed'))).toMatch(/wins.*realized|realized.*wins/);
      expect(warned.some((m) => m.includes('running trade sums'))).toBe(true);
      const trades = rt.store.allTrades();
      expect(totalsMismatch(rt.store.tradeTotals(), totalsOf(trades))).toEqual([]);
      // a window's totals come from the running sums: right again
      const mid = trades[Math.floor(trades.length / 2)].exit_time;
      const page = await invokeOperation(rt.handlers, 'getTrades', { query: { from: String(mid) } }, { actor: 'test' });
      const inWindow = trades.filter((t) => t.exit_time >= mid);
      expect(page.total).toBe(inWindow.length);
      expectClose(
        page.total_pnl,
        inWindow.reduce((s, t) => s + t.pnl, 0),
      );
      const level2 = rt.store.db.prepare(`SELECT count(*) AS n FROM equity_buckets WHERE level = 2`).get() as { n: number };
      expect(level2.n).toBeGreaterThan(0);
    } finally {
      await rt.close();
    }
  }, 60_000);

  it('a database of the previous schema is upgraded: its trades fill the totals and running sums, its equity the buckets', async () => {
    const dir = tempDir('kept-upgrade');
    const db = openDatabase(join(dir, 'botdesk.sqlite'));
    db.exec(MIGRATIONS[0]);
    db.pragma('user_version = 1');
    const insert =
      db.prepare(`INSERT INTO trades (id, position_id, symbol, side, amount, entry_price, exit_price, entry_time, exit_time, fee, pnl, pnl_pct, exit_reason, config_version)
      VALUES (?, ?, 'XRP/USDT', 'long', 100, 0.5, ?, ?, ?, 0.01, ?, 0, 'take_profit', 1)`);
    const t0 = SYNTHETIC_START - 10_000 * 300_000;
    const point = db.prepare(`INSERT INTO equity (ts, equity) VALUES (?, ?)`);
    db.transaction(() => {
      for (let i = 1; i <= 300; i++) {
        const pnl = ((i * 7919) % 13) - 6 + i / 1000;
        insert.run(i, i, 0.5 + pnl / 100, t0 + i * 600_000, t0 + i * 600_000 + 300_000, pnl);
      }
      for (let i = 0; i < 10_000; i++) point.run(t0 + i * 300_000, 10_000 + Math.sin(i / 50) * 100);
    });
    db.close();

    const rt = await createBotRuntime({
      dataDir: dir,
      market: { kind: 'synthetic', seed: 5 },
      replaySpeed: 1,
      logger: createLogger({ level: 'warn' }),
    });
    try {
      await invokeOperation(rt.handlers, 'stopBot', {}, { actor: 'test' });
      const trades = rt.store.allTrades();
      expect(trades).toHaveLength(300);
      expect(totalsMismatch(rt.store.tradeTotals(), totalsOf(trades))).toEqual([]);
      const window = await invokeOperation(
        rt.handlers,
        'getTrades',
        { query: { from: String(trades[100].exit_time), to: String(trades[199].exit_time) } },
        { actor: 'test' },
      );
      expect(window.total).toBe(100);
      expectClose(
        window.total_pnl,
        trades.slice(100, 200).reduce((sum, t) => sum + t.pnl, 0),
      );
      const curve = rt.store.queryEquity({ to: t0 + 9_999 * 300_000, limit: 200 });
      expect(curve.level).toBeGreaterThanOrEqual(0);
      expect(curve.points.length).toBeLessThanOrEqual(200);
      expect(Math.min(...curve.points.map((p) => p.equity))).toBeCloseTo(9_900, 0);
    } finally {
      await rt.close();
    }
  });
});
