// Migration 8: a page of trades read from one index that also holds each trade's text. A database from before it
// (schema 7, the narrower index) upgrades on open, its pages read from the new index, with the same answers.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import type { TradeWindow } from '../../src-main/engine/adapters/sqlite/history-tables';
import { historySeries, seedHistory } from '../helpers/seed-history';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const indexesOf = (dir: string) => {
  const db = openDatabase(join(dir, 'botdesk.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trades'`).all() as { name: string }[])
      .map((r) => r.name)
      .sort();
  } finally {
    db.close();
  }
};

describe('the trade page index (migration 8)', () => {
  it('upgrades a schema-7 database: the wider index replaces the narrower one, pages read from it alone, same answers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-trade-index-'));
    dirs.push(dir);
    seedHistory({ dataDir: dir, series: historySeries(20_000, 300_000) });
    const windowsOf = (store: SqliteStore): TradeWindow[] => {
      const keys = store.allTrades().sort((a, b) => b.exit_time - a.exit_time || b.id - a.id);
      expect(keys.length).toBeGreaterThan(150);
      const key = (i: number) => ({ exit_time: keys[i].exit_time, id: keys[i].id });
      return [
        { limit: 100 },
        { limit: 7, after: key(3) },
        { limit: 100, after: key(keys.length - 50) },
        { limit: 20, from: keys[60].exit_time, to: keys[10].exit_time },
        { limit: 20, from: keys[60].exit_time, to: keys[10].exit_time, after: key(30) },
      ];
    };
    const current = new SqliteStore(dir);
    const windows = windowsOf(current);
    const answers = windows.map((w) => current.queryTradesJson(w));
    current.close();

    // schema 7 as it shipped: the (exit_time, id) index only, and no equity point texts (9)
    const db = openDatabase(join(dir, 'botdesk.sqlite'));
    db.exec(`DROP INDEX trades_page; CREATE INDEX trades_exit_time ON trades(exit_time, id); ALTER TABLE equity_points DROP COLUMN point;`);
    db.pragma('user_version = 7');
    db.close();
    expect(indexesOf(dir)).toEqual(['trades_exit_time', 'trades_position']);

    const upgraded = new SqliteStore(dir);
    try {
      expect(indexesOf(dir)).toEqual(['trades_page', 'trades_position']);
      expect(upgraded.historyReadPlans().pageText.join(' ')).toMatch(/COVERING INDEX trades_page/);
      windows.forEach((w, i) => {
        const page = upgraded.queryTradesJson(w);
        expect(page).toEqual(answers[i]);
        // and the same as the trades read field by field
        const slow = upgraded.queryTrades(w);
        expect(JSON.parse(page.json)).toEqual(slow.trades);
        expect([page.next, page.total, page.total_pnl]).toEqual([slow.next, slow.total, slow.total_pnl]);
      });
    } finally {
      upgraded.close();
    }
  });

  it('pages from the stored texts end where the field-by-field read ends: every limit, a window that ends on a page, ties', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-trade-pages-'));
    dirs.push(dir);
    seedHistory({ dataDir: dir, series: historySeries(20_000, 300_000) });
    // trades that close on the same candle (several positions' stops in one candle): every fifth trade closes with the
    // one before it, in its row and in its text (their (exit_time, id) order, and so the running sums, stay as they are)
    const db = openDatabase(join(dir, 'botdesk.sqlite'));
    db.exec(`WITH ordered AS (SELECT id, lag(exit_time) OVER (ORDER BY exit_time, id) AS before, row_number() OVER (ORDER BY exit_time, id) AS n FROM trades)
      UPDATE trades SET exit_time = ordered.before, json = json_set(trades.json, '$.exit_time', ordered.before)
      FROM ordered WHERE ordered.id = trades.id AND ordered.n % 5 = 0`);
    db.close();
    const store = new SqliteStore(dir);
    try {
      const keys = store.allTrades().sort((a, b) => b.exit_time - a.exit_time || b.id - a.id);
      // trades closed on the same candle share an exit_time: a page boundary between them must fall by id
      expect(keys.some((k, i) => i > 0 && k.exit_time === keys[i - 1].exit_time)).toBe(true);
      const windows: Omit<TradeWindow, 'limit' | 'after'>[] = [{}, { from: keys[49].exit_time, to: keys[10].exit_time }];
      for (const window of windows) {
        const inWindow = keys.filter((k) => (window.from ?? -Infinity) <= k.exit_time && k.exit_time <= (window.to ?? Infinity));
        // a limit of the window's own size: one full page, and none after it
        for (const limit of [1, 7, 20, 100, inWindow.length]) {
          let after: TradeWindow['after'];
          const pages: (TradeWindow['after'] | null)[] = [];
          const seen: number[] = [];
          do {
            const w = { ...window, limit, after };
            const page = store.queryTradesJson(w);
            const slow = store.queryTrades(w);
            expect(JSON.parse(page.json)).toEqual(slow.trades);
            expect([page.next, page.total, page.total_pnl]).toEqual([slow.next, slow.total, slow.total_pnl]);
            seen.push(...slow.trades.map((t) => t.id));
            pages.push(page.next);
            after = page.next ?? undefined;
          } while (after && pages.length < 2_000);
          expect(seen).toEqual(inWindow.map((k) => k.id));
          expect(pages).toHaveLength(Math.ceil(inWindow.length / limit));
        }
      }
      // a stored text of another shape (its id last) where a page is cut: the page is read one trade at a time instead
      store.db.exec(`UPDATE trades SET json = json_set(json_remove(json, '$.id'), '$.id', id) WHERE id = ${keys[100].id}`);
      for (const limit of [99, 100, 101]) {
        const page = store.queryTradesJson({ limit });
        const slow = store.queryTrades({ limit });
        expect(JSON.parse(page.json), `limit ${limit}`).toEqual(slow.trades);
        expect(page.next, `limit ${limit}`).toEqual(slow.next);
      }
    } finally {
      store.close();
    }
  });
});
