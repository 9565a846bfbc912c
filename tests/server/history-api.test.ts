// History routes over HTTP: keyset paging with cursors bound to their query, bad input named, hard limits, answers
// reused only until the data moves, logs by level whatever the noise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trade } from '../../src-shared/contract';
import { historySeries, seedHistory } from '../helpers/seed-history';
import { XRP_5M } from '../helpers/candles';
import { expectClose } from '../helpers/money';
import { waitFor } from '../helpers/wait';
import { startApi, type ApiHarness } from '../helpers/api-harness';

const CANDLES = 20_000;

describe('history routes', () => {
  let api: ApiHarness;
  let stored: Trade[];
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-history-api-'));
    seedHistory({ dataDir, series: historySeries(CANDLES, 300_000, XRP_5M) });
    api = await startApi({ dataDir, replaySpeed: 200 });
    await api.call('POST', '/bot/stop');
    stored = api.runtime.store.allTrades();
  });
  afterAll(async () => {
    await api?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const page = async (query: string) => {
    const r = await api.call('GET', `/bot/trades?${query}`);
    expect(r.status, r.text).toBe(200);
    return r.body as { trades: Trade[]; next_cursor: string | null; total: number; total_pnl: number };
  };

  it("pages newest first through every trade of a window exactly once, with the window's totals on every page", async () => {
    const from = stored[Math.floor(stored.length * 0.2)].exit_time;
    const to = stored[Math.floor(stored.length * 0.7)].exit_time;
    const inWindow = stored
      .filter((t) => t.exit_time >= from && t.exit_time <= to)
      .sort((a, b) => b.exit_time - a.exit_time || b.id - a.id);
    const seen: Trade[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(`from=${from}&to=${new Date(to).toISOString()}&limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.total).toBe(inWindow.length);
      expectClose(
        p.total_pnl,
        inWindow.reduce((s, t) => s + t.pnl, 0),
      );
      seen.push(...p.trades);
      cursor = p.next_cursor;
    } while (cursor);
    expect(seen.map((t) => t.id)).toEqual(inWindow.map((t) => t.id));
    const all = await page('limit=1000');
    expect(all.total).toBe(stored.length);
    expect(all.trades[0].id).toBe(stored.at(-1)!.id);
  });

  it('refuses a cursor from another query, a forged cursor, from after to and limits out of range, naming each', async () => {
    const first = await page('limit=5&from=0');
    let r = await api.call('GET', `/bot/trades?limit=5&cursor=${first.next_cursor}`);
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.fields)).toEqual(['cursor']);
    r = await api.call('GET', `/bot/trades?limit=5&from=0&cursor=${Buffer.from('t1:x:1::').toString('base64url')}`);
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.fields)).toEqual(['cursor']);
    expect((await page(`limit=5&from=0&cursor=${first.next_cursor}`)).trades[0].id).toBeLessThan(first.trades[4].id + 1);
    for (const path of ['/bot/trades?from=2000&to=1000', '/bot/equity?from=2024-01-02&to=2024-01-01']) {
      r = await api.call('GET', path);
      expect(r.status).toBe(400);
      expect(r.body.fields).toEqual({ from: 'must not be after to' });
    }
    for (const [path, field] of [
      ['/bot/trades?limit=0', 'limit'],
      ['/bot/trades?limit=1001', 'limit'],
      ['/bot/equity?limit=5001', 'limit'],
      ['/bot/logs?limit=0', 'limit'],
    ]) {
      r = await api.call('GET', path);
      expect(r.status, path).toBe(400);
      expect(Object.keys(r.body.fields)).toEqual([field]);
    }
  });

  it('equity: limit is a hard maximum (limit=5 answers at most 5 points), oldest first', async () => {
    for (const limit of [1, 2, 5, 500]) {
      const r = await api.call('GET', `/bot/equity?limit=${limit}`);
      expect(r.status).toBe(200);
      expect(r.body.points.length).toBeLessThanOrEqual(limit);
      expect(r.body.points.length).toBeGreaterThan(0);
    }
  });

  it('a reused answer lasts only until the data moves: a new trade shows on the next request', async () => {
    const before = await page('limit=3');
    expect(await page('limit=3')).toEqual(before);
    const eq = (await api.call('GET', '/bot/equity?limit=50')).body.points as { ts: number }[];
    await api.call('PUT', '/bot/config', { stop_loss_pct: 0.3, take_profit_pct: 0.4, max_daily_loss_pct: 0 });
    await api.call('POST', '/bot/start');
    const trades = api.runtime.store.tradeTotals().trades;
    await waitFor(() => api.runtime.store.tradeTotals().trades > trades, 'a trade on the synthetic market', 30_000);
    await api.call('POST', '/bot/stop');
    const after = await page('limit=3');
    expect(after.total).toBeGreaterThan(before.total);
    expect(after.trades[0].id).toBeGreaterThan(before.trades[0].id);
    const eqAfter = (await api.call('GET', '/bot/equity?limit=50')).body.points as { ts: number }[];
    expect(eqAfter.at(-1)!.ts).toBeGreaterThan(eq.at(-1)!.ts);
  });

  it('logs: the last errors stay visible under a flood of debug lines, newest first by level', async () => {
    const log = api.runtime.logger;
    await api.call('GET', '/bot/logs?level=error&limit=5'); // answered (and kept) before the error exists
    log.error('the one error to remember');
    log.warn('a warning');
    for (let i = 0; i < 10_000; i++) log.debug(`noise ${i}`);
    const errors = (await api.call('GET', '/bot/logs?level=error&limit=5')).body as { msg: string }[];
    expect(errors[0].msg).toBe('the one error to remember');
    const warn = (await api.call('GET', '/bot/logs?level=warn&limit=2')).body as { msg: string }[];
    expect(warn.map((r) => r.msg)).toEqual(['a warning', 'the one error to remember']);
    const debug = (await api.call('GET', '/bot/logs?level=debug&limit=3')).body as { msg: string }[];
    expect(debug.map((r) => r.msg)).toEqual(['noise 9999', 'noise 9998', 'noise 9997']);
  });
});
