// Growth policy: a year of 1-minute candles (525,600 equity points, real candles repeated, traded by the engine and
// written through the store) stays within the size the README states, and every monitoring route still does bounded
// work on it: kept figures for stats and metrics, index searches for trades, a few buckets per point for equity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatsSchema, type Trade } from '../../src-shared/contract';
import { computeStats } from '../../src-main/engine/stats';
import { groupsFor } from '../../src-main/engine/adapters/sqlite/equity-buckets';
import { historySeries, seedHistory, type SeededHistory } from '../helpers/seed-history';
import { ALT_1M } from '../helpers/candles';
import { expectClose } from '../helpers/money';
import { startApi, type ApiHarness } from '../helpers/api-harness';

const YEAR_OF_MINUTES = 525_600;
/** README, "Growth policy": a year of 1-minute candles stays under 80 MiB */
const YEAR_BOUND_BYTES = 80 * 2 ** 20;
const DAY = 86_400_000;

describe('a year of 1-minute candles', () => {
  let dataDir: string;
  let seeded: SeededHistory;
  let sizeAfterSeeding: number;
  let api: ApiHarness;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-year-'));
    const series = historySeries(YEAR_OF_MINUTES, 60_000, ALT_1M);
    seeded = seedHistory({ dataDir, series, config: { symbol: 'ALT/BTC', timeframe: '1m' } });
    sizeAfterSeeding = statSync(join(dataDir, 'botdesk.sqlite')).size;
    api = await startApi({ dataDir, replaySpeed: 1 });
    await api.call('POST', '/bot/stop');
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true }); // ~75 MB
  });

  it('stays within the stated size', () => {
    expect(seeded.candles).toBe(YEAR_OF_MINUTES);
    expect(seeded.trades).toBeGreaterThan(1000);
    const points = api.runtime.store.db.prepare(`SELECT count(*) AS n FROM equity_points`).get() as { n: number };
    expect(points.n).toBeGreaterThanOrEqual(YEAR_OF_MINUTES);
    expect(sizeAfterSeeding).toBeLessThanOrEqual(YEAR_BOUND_BYTES);
  });

  it('every statement a history request runs searches an index', () => {
    const plans = api.runtime.store.historyReadPlans();
    for (const [name, lines] of Object.entries(plans)) {
      // no full scan, no sort of what was read: the cost follows the rows returned (a subquery's rows, themselves
      // found by a SEARCH, may be scanned as they come; the one row of a SELECT of scalar subqueries is no table)
      for (const line of lines) expect(line, name).not.toMatch(/^SCAN (?!\(subquery-\d+\)$|CONSTANT ROW$)|TEMP B-TREE/);
      expect(
        lines.some((l) => l.startsWith('SEARCH ')),
        name,
      ).toBe(true);
    }
  });

  it('stats are the kept figures and equal computeStats over the whole trade list', async () => {
    const stats = StatsSchema.parse((await api.call('GET', '/bot/stats')).body);
    const oracle = computeStats({
      trades: api.runtime.store.allTrades(),
      startEquity: stats.start_equity,
      openPositions: api.runtime.bot.positions(),
      maxDrawdownPct: stats.max_drawdown_pct,
      todayStart: stats.equity - stats.today_pnl,
      nowTs: 0,
      stakeCurrency: stats.stake_currency,
    });
    for (const k of ['realized_pnl', 'fees_paid', 'gross_profit', 'gross_loss', 'win_rate'] as const) expectClose(stats[k], oracle[k]);
    expect([stats.trades_count, stats.wins, stats.losses, stats.last_trade_id, stats.best_trade_pnl, stats.worst_trade_pnl]).toEqual([
      oracle.trades_count,
      oracle.wins,
      oracle.losses,
      oracle.last_trade_id,
      oracle.best_trade_pnl,
      oracle.worst_trade_pnl,
    ]);
    expect(stats.max_drawdown_pct).toBeGreaterThan(0);
    const metrics = await api.raw({ path: '/metrics', headers: { Authorization: `Bearer ${api.token}` } });
    expect(metrics.text).toContain(`botdesk_trades_total{result="win"} ${stats.wins}`);
  });

  it('equity over the whole year and over one day: at most 500 points from a bounded number of rows', async () => {
    const store = api.runtime.store;
    for (const q of [{ limit: 500 }, { from: seeded.lastTs - DAY, to: seeded.lastTs, limit: 500 }, { limit: 5000 }]) {
      const a = store.queryEquity(q);
      expect(a.points.length).toBeLessThanOrEqual(q.limit);
      expect(a.points.length).toBeGreaterThan(q.limit / 4);
      expect(a.rowsRead).toBeLessThanOrEqual(4 * groupsFor(q.limit) + 2);
    }
    const r = await api.call('GET', `/bot/equity?limit=500&from=${seeded.firstTs}&to=${seeded.lastTs}`);
    expect(r.status).toBe(200);
    expect(r.body.points.length).toBeLessThanOrEqual(500);
    const lowest = store.db.prepare(`SELECT ts, equity FROM equity_points WHERE ts <= ? ORDER BY equity, ts LIMIT 1`).get(seeded.lastTs);
    expect(r.body.points).toContainEqual(lowest);
  });

  it('trades: first, deep and windowed pages with their totals', async () => {
    const all = api.runtime.store.allTrades();
    const first = await api.call('GET', '/bot/trades?limit=100');
    expect(first.body.trades).toHaveLength(100);
    expect(first.body.total).toBe(all.length);
    let cursor = first.body.next_cursor as string;
    for (let i = 0; i < 20; i++) cursor = (await api.call('GET', `/bot/trades?limit=100&cursor=${cursor}`)).body.next_cursor;
    const deep = (await api.call('GET', `/bot/trades?limit=100&cursor=${cursor}`)).body.trades as Trade[];
    expect(deep[0].id).toBe(all[all.length - 1 - 2100].id);
    const from = all[Math.floor(all.length / 3)].exit_time;
    const to = all[Math.floor(all.length / 2)].exit_time;
    const windowed = await api.call('GET', `/bot/trades?limit=100&from=${from}&to=${to}`);
    const inside = all.filter((t) => t.exit_time >= from && t.exit_time <= to);
    expect(windowed.body.total).toBe(inside.length);
    expectClose(
      windowed.body.total_pnl,
      inside.reduce((s, t) => s + t.pnl, 0),
    );
    expect((await api.call('GET', '/bot/logs?level=info&limit=100')).body).toHaveLength(100);
  });
});
