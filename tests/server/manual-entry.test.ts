// Contract §7 over a real socket against the real runtime: a person opens a position now (POST /bot/positions), and
// GET /bot/balances shows the account the position came out of. Refusals are 4xx naming why, and change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AssetBalanceSchema,
  PositionSchema,
  type AssetBalance,
  type Order,
  type Position,
  type Stats,
  type Status,
} from '../../src-shared/contract';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { waitFor } from '../helpers/wait';
import { expectClose } from '../helpers/money';
import { HELD_POSITIONS } from '../helpers/held-positions';

/** entries only by hand: the strategy is off, stops and targets out of reach */
const HANDS_ONLY = {
  enabled: false,
  ...HELD_POSITIONS,
  position_size_pct: 10,
  max_positions: 3,
  max_daily_loss_pct: 0,
};

describe('manual entries and balances', () => {
  let api: ApiHarness;
  const positions = async () => (await api.call<Position[]>('GET', '/bot/positions')).body;
  const orders = async () => (await api.call<{ orders: Order[] }>('GET', '/bot/orders?status=all&limit=1000')).body.orders;
  const balances = async () => (await api.call<{ balances: AssetBalance[] }>('GET', '/bot/balances')).body.balances;
  const closeAll = () => api.call('POST', '/bot/close-all');

  beforeAll(async () => {
    api = await startApi({ replaySpeed: 5 });
    expect((await api.call('PUT', '/bot/config', HANDS_ONLY)).status).toBe(200);
    // a fresh synthetic market has no price until its first candle: until then an entry is a 409 (tested below)
    await waitFor(async () => (await api.call<Status>('GET', '/bot/status')).body.last_price !== null, 'the first candle');
  });
  afterAll(() => api.close());
  beforeEach(async () => {
    await closeAll();
    await api.call('POST', '/bot/resume');
  });

  it("opens one position at market with the config's stop-loss and take-profit, even with enabled:false", async () => {
    const before = (await api.call<Stats>('GET', '/bot/stats')).body;
    const r = await api.call<{ success: true; position: Position }>('POST', '/bot/positions', {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const p = PositionSchema.parse(r.body.position);
    expect(r.body.success).toBe(true);
    // 10% of equity at the entry price (fees and slippage aside), rounded down to the market's step
    expectClose(p.amount * p.entry_price, before.equity * 0.1, 0.01);
    expectClose(p.stop_loss_price, p.entry_price * 0.5, 1e-3);
    expectClose(p.take_profit_price, p.entry_price * 11, 1e-3);
    expect((await positions()).map((x) => x.id)).toEqual([p.id]);
    // protected on the exchange at once: a resting stop-loss and take-profit
    const protective = (await orders())
      .filter((o) => o.position_id === p.id && o.status === 'open')
      .map((o) => o.purpose)
      .sort();
    expect(protective).toEqual(['stop_loss', 'take_profit']);
    const audit = (
      await api.call<{ records: { action: string; actor: string; detail: Record<string, unknown> }[] }>('GET', '/bot/audit?limit=5')
    ).body.records;
    expect(audit[0]).toMatchObject({ action: 'open_position', actor: 'api:control', detail: { position_id: p.id } });
  });

  it('sizes by size_pct when given, and is allowed while paused', async () => {
    await api.call('POST', '/bot/pause');
    const equity = (await api.call<Stats>('GET', '/bot/stats')).body.equity;
    const r = await api.call<{ position: Position }>('POST', '/bot/positions', { size_pct: 3 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expectClose(r.body.position.amount * r.body.position.entry_price, equity * 0.03, 0.01);
  });

  it("shows the account in GET /bot/balances: the position's base held by its OCO pair, the quote spent", async () => {
    const start = await balances();
    expect(start.map((b) => b.asset)).toEqual(['XRP', 'USDT']);
    const r = await api.call<{ position: Position }>('POST', '/bot/positions', {});
    const p = r.body.position;
    const [base, quote] = await balances();
    for (const b of [base, quote]) {
      AssetBalanceSchema.parse(b);
      expectClose(b.free + b.used, b.total);
    }
    expectClose(base.total, p.amount);
    expectClose(base.used, p.amount); // both legs of the OCO hold the same coins once
    expect(base.free).toBeCloseTo(0, 12);
    // cash identity: what was there, less the entry's cost and fee
    expectClose(quote.total, start[1].total - p.amount * p.entry_price - p.entry_fee);
    expect(quote.used).toBe(0);
  });

  it('refuses while stopped, at max_positions, and when the free balance is short, creating nothing', async () => {
    const refused = async (body: unknown, pattern: RegExp) => {
      const [n, o] = [(await positions()).length, (await orders()).length];
      const r = await api.call('POST', '/bot/positions', body);
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.body).toMatchObject({ success: false });
      expect(r.body.error).toMatch(pattern);
      expect([(await positions()).length, (await orders()).length]).toEqual([n, o]);
    };
    await api.call('POST', '/bot/stop');
    await refused({}, /stopped; start it/);
    await api.call('POST', '/bot/start');

    for (let i = 0; i < 3; i++) expect((await api.call('POST', '/bot/positions', { size_pct: 5 })).status).toBe(200);
    await refused({}, /max_positions \(3\) reached/);
    await closeAll();
    await api.call('POST', '/bot/resume');

    const all = await api.call('POST', '/bot/positions', { size_pct: 100 });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    await refused({ size_pct: 5 }, /free balance \(\d+\.\d+ USDT\) is short/);
  });

  it('answers bad bodies with 400 naming size_pct, and the read token with 403', async () => {
    for (const body of [{ size_pct: 0 }, { size_pct: 101 }, { size_pct: '5' }, { size_pct: null }, { size: 5 }, [1]]) {
      const r = await api.call('POST', '/bot/positions', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.success).toBe(false);
      expect(Object.keys(r.body.fields ?? {}).join(), JSON.stringify(body)).toMatch(/size|body/);
    }
    expect((await api.call('POST', '/bot/positions', '{"size_pct": 1e999}')).status).toBe(400);
    expect((await positions()).length).toBe(0);
    expect((await api.call('POST', '/bot/positions', {}, { token: api.readToken })).status).toBe(403);
    expect((await api.call('GET', '/bot/balances', undefined, { token: api.readToken })).status).toBe(200);
  });

  it('is in the OpenAPI document like every other operation', async () => {
    const doc = (await api.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/bot/positions'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/api/v1/bot/balances']).toHaveProperty('get');
  });
});
