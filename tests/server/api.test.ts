// Every route of docs/contract.md §3/§4 over a real socket, against the real runtime (SQLite on disk, live loop).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  OrderSchema,
  PositionSchema,
  StatsSchema,
  StatusSchema,
  TradeSchema,
  VersionedConfigSchema,
  type Order,
  type Trade,
} from '../../src-shared/contract';
import { expectStatsMatchTrades } from '../helpers/money';
import { waitFor } from '../helpers/wait';
import { startApi, type ApiHarness } from '../helpers/api-harness';

const FAST_EXITS = { stop_loss_pct: 0.3, take_profit_pct: 0.4, max_daily_loss_pct: 0 };

async function allTrades(api: ApiHarness): Promise<Trade[]> {
  const out: Trade[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { trades: Trade[]; next_cursor: string | null } } = await api.call(
      'GET',
      `/bot/trades?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    out.push(...page.body.trades);
    cursor = page.body.next_cursor;
  } while (cursor);
  return out;
}

describe('management API over HTTP', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('health needs no token and says only ok', async () => {
    const r = await api.call('GET', '/health', undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('keeps the generated control token in a 0600 file', () => {
    const mode = statSync(join(api.dataDir, 'api-token')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(api.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('status has every contract field', async () => {
    const r = await api.call('GET', '/bot/status');
    expect(r.status).toBe(200);
    const s = StatusSchema.parse(r.body);
    for (const k of [
      'state',
      'running',
      'mode',
      'exchange',
      'symbol',
      'timeframe',
      'started_at',
      'uptime_s',
      'open_positions',
      'pending_orders',
      'equity',
      'last_cycle_at',
      'config_version',
      'applied_config_version',
    ]) {
      expect(r.body).toHaveProperty(k);
    }
    expect(s.mode).toBe('paper');
  });

  it('lifecycle: start/stop/pause/resume with changed flags and 409 for nonsense', async () => {
    let r = await api.call('POST', '/bot/stop');
    expect(r.status).toBe(200);
    expect(r.body.status.state).toBe('stopped');
    r = await api.call('POST', '/bot/stop');
    expect(r.body).toMatchObject({ success: true, changed: false });
    r = await api.call('POST', '/bot/pause');
    expect(r.status).toBe(409);
    expect(r.body.success).toBe(false);
    expect(r.body.error).toMatch(/stopped/);
    expect((await api.call('POST', '/bot/resume')).status).toBe(409);
    r = await api.call('POST', '/bot/start');
    expect(r.body).toMatchObject({ success: true, changed: true, status: { state: 'running', running: true } });
    r = await api.call('POST', '/bot/pause');
    expect(r.body).toMatchObject({ changed: true, status: { state: 'paused' } });
    expect((await api.call('POST', '/bot/pause')).body.changed).toBe(false);
    r = await api.call('POST', '/bot/resume');
    expect(r.body).toMatchObject({ changed: true, status: { state: 'running' } });
    // an empty JSON object is accepted as a body; anything in it is not
    expect((await api.call('POST', '/bot/start', {})).status).toBe(200);
    const bad = await api.call('POST', '/bot/start', { now: true });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty('now');
  });

  it('config: partial, atomic, strict, If-Match, history and rollback', async () => {
    const before = await api.call('GET', '/bot/config');
    expect(before.status).toBe(200);
    VersionedConfigSchema.parse(before.body);
    const v0 = before.body.version as number;

    const bad = await api.call('PUT', '/bot/config', { position_size_pct: 500, stop_loss_pct: 'x', bogus: 1, take_profit_pct: 2 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['bogus', 'position_size_pct', 'stop_loss_pct']);
    expect(bad.body.error).toMatch(/position_size_pct/);
    expect((await api.call('GET', '/bot/config')).body).toEqual(before.body);

    const cross = await api.call('PUT', '/bot/config', { position_size_pct: 60, max_positions: 2 });
    expect(cross.status).toBe(400);
    expect(cross.body.fields.position_size_pct).toMatch(/100/);

    const nan = await api.call('PUT', '/bot/config', '{"stop_loss_pct": NaN}');
    expect(nan.status).toBe(400);
    const huge = await api.call('PUT', '/bot/config', '{"stop_loss_pct": 1e999}');
    expect(huge.status).toBe(400);
    expect(huge.body.fields).toHaveProperty('stop_loss_pct');

    const ok = await api.call('PUT', '/bot/config', { take_profit_pct: 2.5 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ success: true, version: v0 + 1, config: { take_profit_pct: 2.5, version: v0 + 1 } });

    const stale = await api.call('PUT', '/bot/config', { take_profit_pct: 3.5 }, { headers: { 'If-Match': String(v0) } });
    expect(stale.status).toBe(409);
    const fresh = await api.call('PUT', '/bot/config', { take_profit_pct: 3.5 }, { headers: { 'If-Match': String(v0 + 1) } });
    expect(fresh.status).toBe(200);

    const history = await api.call('GET', '/bot/config/history?limit=5');
    expect(history.status).toBe(200);
    expect(history.body.versions[0]).toMatchObject({
      version: v0 + 2,
      actor: 'api:control',
      changes: [{ field: 'take_profit_pct', from: 2.5, to: 3.5 }],
    });

    const rolled = await api.call('POST', '/bot/config/rollback', { version: v0 });
    expect(rolled.status).toBe(200);
    expect(rolled.body.config.take_profit_pct).toBe(before.body.take_profit_pct);
    expect(rolled.body.version).toBe(v0 + 3);
    expect((await api.call('POST', '/bot/config/rollback', { version: 99999 })).status).toBe(404);
  });

  it('a config change may name its source (?source=, a lab run): the history keeps it as the reason; a bad one is a 400 naming it', async () => {
    const bad = await api.call('PUT', '/bot/config?source=' + encodeURIComponent('two\nlines'), { take_profit_pct: 4.5 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields)).toEqual(['source']);
    const long = await api.call('PUT', `/bot/config?source=${'x'.repeat(161)}`, { take_profit_pct: 4.5 });
    expect(long.status).toBe(400);
    const put = await api.call('PUT', '/bot/config?source=' + encodeURIComponent('lab sweep job 14, run 3 (fast=5)'), {
      take_profit_pct: 4.5,
    });
    expect(put.status).toBe(200);
    const history = await api.call('GET', '/bot/config/history?limit=1');
    expect(history.body.versions[0]).toMatchObject({ version: put.body.version, reason: 'lab sweep job 14, run 3 (fast=5)' });
    // without it, the reason stays what it was
    const plain = await api.call('PUT', '/bot/config', { take_profit_pct: 4.6 });
    expect((await api.call('GET', '/bot/config/history?limit=1')).body.versions[0]).toMatchObject({
      version: plain.body.version,
      reason: 'update',
    });
  });

  it('the cycle after a config response uses the new version (orders and trades carry it)', async () => {
    await api.call('POST', '/bot/start');
    const put = await api.call('PUT', '/bot/config', { ...FAST_EXITS, position_size_pct: 12 });
    expect(put.status).toBe(200);
    const version = put.body.version as number;
    const status = (await api.call('GET', '/bot/status')).body;
    // the cycle right after the response already runs the new version
    await waitFor(
      async () => (await api.call('GET', '/bot/status')).body.applied_config_version === version,
      'the new version applied',
      5000,
    );
    const order = await waitFor(async () => {
      const orders = (await api.call('GET', '/bot/orders?status=all&limit=50')).body.orders as Order[];
      return orders.find((o) => o.config_version === version && o.purpose === 'entry');
    }, 'an entry order under the new version');
    OrderSchema.parse(order);
    expect(status.config_version).toBe(version);
    const trade = await waitFor(
      async () => (await allTrades(api)).find((t) => t.config_version === version),
      'a trade under the new version',
      30_000,
    );
    expect(trade.config_version).toBe(version);
  });

  it('positions, trades with paging and filters, stats that recompute from the trade list', async () => {
    await waitFor(async () => (await api.call('GET', '/bot/stats')).body.trades_count >= 6, '6 trades', 30_000);
    const positions = await api.call('GET', '/bot/positions');
    expect(positions.status).toBe(200);
    for (const p of positions.body) PositionSchema.parse(p);

    const first = await api.call('GET', '/bot/trades?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.trades).toHaveLength(2);
    expect(first.body.next_cursor).toBeTypeOf('string');
    const second = await api.call('GET', `/bot/trades?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.trades[0].id).toBeLessThan(first.body.trades[1].id);
    for (const t of [...first.body.trades, ...second.body.trades]) {
      TradeSchema.parse(t);
      expect(['stop_loss', 'take_profit', 'signal', 'manual', 'close_all']).toContain(t.exit_reason);
    }
    const all = await allTrades(api);
    const mid = all[Math.floor(all.length / 2)].exit_time;
    const since = (await api.call('GET', `/bot/trades?from=${encodeURIComponent(new Date(mid).toISOString())}&limit=1000`)).body
      .trades as Trade[];
    expect(since.length).toBeGreaterThan(0);
    expect(since.every((t) => t.exit_time >= mid)).toBe(true);
    const until = (await api.call('GET', `/bot/trades?to=${mid}&limit=1000`)).body.trades as Trade[];
    expect(until.length).toBeGreaterThan(0);
    expect(until.every((t) => t.exit_time <= mid)).toBe(true);

    await api.call('POST', '/bot/stop');
    const stats = StatsSchema.parse((await api.call('GET', '/bot/stats')).body);
    expectStatsMatchTrades(stats, await allTrades(api));
    await api.call('POST', '/bot/start');
  });

  it('rejects bad query parameters naming them', async () => {
    const r = await api.call('GET', '/bot/trades?limit=abc&from=yesterday&colour=red');
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.fields).sort()).toEqual(['colour', 'from', 'limit']);
    expect((await api.call('GET', '/bot/logs?level=loud')).status).toBe(400);
  });

  it('logs: newest first, filtered by level, never containing a token', async () => {
    const r = await api.call('GET', '/bot/logs?level=debug&limit=50');
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThan(0);
    for (const rec of r.body) expect(typeof rec.ts).toBe('number');
    expect(r.body[0].ts).toBeGreaterThanOrEqual(r.body[r.body.length - 1].ts);
    const warn = (await api.call('GET', '/bot/logs?level=warn&limit=1000')).body as { level: string }[];
    expect(warn.every((x) => x.level === 'warn' || x.level === 'error')).toBe(true);
    expect(r.text).not.toContain(api.token);
  });

  it('close one position, close-all (flatten and hold), cancel-pending, all audited', async () => {
    await api.call('PUT', '/bot/config', { stop_loss_pct: 5, take_profit_pct: 10, position_size_pct: 10, max_positions: 5 });
    await api.call('POST', '/bot/start');
    // ema_cross exits every long on the opposite cross, so positions come one at a time
    const hasPosition = async () => (await api.call('GET', '/bot/positions')).body.length >= 1;
    await waitFor(hasPosition, 'an open position', 30_000);
    const [one] = (await api.call('GET', '/bot/positions')).body;
    const closed = await api.call('POST', `/bot/positions/${one.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.trade).toMatchObject({ position_id: one.id, exit_reason: 'manual' });
    expect((await api.call('POST', `/bot/positions/${one.id}/close`)).status).toBe(404);
    expect((await api.call('POST', '/bot/positions/abc/close')).status).toBe(400);
    await waitFor(hasPosition, 'another open position', 30_000);

    const all = await api.call('POST', '/bot/close-all');
    expect(all.status).toBe(200);
    expect(all.body.success).toBe(true);
    expect(all.body.status.state).toBe('paused');
    expect(all.body.closed.length).toBeGreaterThanOrEqual(1);
    for (const t of all.body.closed) expect(t.exit_reason).toBe('close_all');
    expect((await api.call('GET', '/bot/positions')).body).toEqual([]);
    // held: the strategy did not buy back in while the loop went 100 candles further (signals kept coming)
    const heldFrom = (await api.call('GET', '/bot/status')).body.equity_ts as number;
    await waitFor(
      async () => ((await api.call('GET', '/bot/status')).body.equity_ts as number) >= heldFrom + 100 * 300_000,
      '100 more candles',
    );
    expect((await api.call('GET', '/bot/positions')).body).toEqual([]);

    const cancel = await api.call('POST', '/bot/cancel-pending');
    expect(cancel.status).toBe(200);
    expect(cancel.body).toEqual({ success: true, cancelled: expect.any(Number) });
    expect((await api.call('GET', '/bot/orders?status=open')).body.orders).toEqual([]);

    const audit = (await api.call('GET', '/bot/audit?limit=20')).body.records as { action: string; actor: string }[];
    const actions = audit.map((a) => a.action);
    for (const a of ['close_position', 'close_all', 'cancel_pending', 'update_config']) expect(actions).toContain(a);
    expect(audit.find((a) => a.action === 'close_all')?.actor).toBe('api:control');
    await api.call('POST', '/bot/resume');
  });

  it('concurrent controls stay consistent: two close-alls make one set of closes, two If-Match PUTs make one version', async () => {
    await api.call('PUT', '/bot/config', { stop_loss_pct: 5, take_profit_pct: 10, position_size_pct: 10, max_positions: 5 });
    await api.call('POST', '/bot/resume');
    await api.call('POST', '/bot/start');
    await waitFor(async () => (await api.call('GET', '/bot/positions')).body.length >= 1, 'an open position', 30_000);
    const [a, b] = await Promise.all([api.call('POST', '/bot/close-all'), api.call('POST', '/bot/close-all')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const closed = [...a.body.closed, ...b.body.closed] as Trade[];
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(closed.map((t) => t.position_id)).size).toBe(closed.length);
    expect(Math.min(a.body.closed.length, b.body.closed.length)).toBe(0);
    const orders = (await api.call('GET', '/bot/orders?status=all&limit=1000')).body.orders as Order[];
    for (const t of closed)
      expect(
        orders.filter((o) => o.position_id === t.position_id && o.purpose === 'exit').length,
        `exit orders of position ${t.position_id}`,
      ).toBe(1);

    const { version } = (await api.call('GET', '/bot/config')).body;
    const both = await Promise.all(
      [1.7, 1.8].map((tp) => api.call('PUT', '/bot/config', { take_profit_pct: tp }, { headers: { 'If-Match': String(version) } })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await api.call('GET', '/bot/config')).body.version).toBe(version + 1);
    await api.call('POST', '/bot/resume');
  });

  it('equity curve and candles for the charts', async () => {
    const eq = await api.call('GET', '/bot/equity?limit=100');
    expect(eq.status).toBe(200);
    expect(eq.body.points.length).toBeGreaterThan(0);
    const candles = await api.call('GET', '/bot/candles?limit=50');
    expect(candles.body.candles.length).toBeGreaterThan(0);
    expect(candles.body.symbol).toBe('XRP/USDT');
  });

  it('unknown routes are 404, wrong methods 405, both in the error shape', async () => {
    const r = await api.call('GET', '/bot/nothing');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ success: false, error: expect.any(String) });
    const m = await api.call('DELETE', '/bot/status');
    expect(m.status).toBe(405);
    expect(m.headers.allow).toBe('GET');
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, covering every route', async () => {
    const r = await api.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const paths = Object.keys(r.body.paths);
    for (const p of [
      '/api/v1/bot/start',
      '/api/v1/bot/stop',
      '/api/v1/bot/pause',
      '/api/v1/bot/resume',
      '/api/v1/bot/status',
      '/api/v1/bot/config',
      '/api/v1/bot/stats',
      '/api/v1/bot/positions',
      '/api/v1/bot/trades',
      '/api/v1/bot/logs',
      '/api/v1/bot/close-all',
      '/api/v1/bot/cancel-pending',
      '/api/v1/health',
      '/api/v1/bot/positions/{id}/close',
      '/api/v1/session',
    ]) {
      expect(paths).toContain(p);
    }
    const schema = r.body.paths['/api/v1/bot/config'].put.requestBody.content['application/json'].schema;
    expect(schema.properties.position_size_pct).toMatchObject({ minimum: 1, maximum: 100 });
    expect(schema.additionalProperties).toBe(false);
  });

  it('exposes Prometheus metrics', async () => {
    const r = await api.raw({ path: '/metrics', headers: { Authorization: `Bearer ${api.token}` } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/plain/);
    expect(r.text).toMatch(/^botdesk_equity \d/m);
    expect(r.text).toMatch(/^botdesk_bot_state\{state="running"\} [01]/m);
    expect(r.text).toMatch(/^botdesk_http_requests_total\{route="getStatus",status="200"\} \d+/m);
    expect((await api.raw({ path: '/metrics' })).status).toBe(401);
  });
});
