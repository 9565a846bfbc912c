// GET /history/candles (docs/contract.md §11, a project addition for the dashboard's compare view) over a real socket:
// a kept range as chart bars, merged when it holds more than `limit`, with the same 400s as a backtest of that range.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle } from '../../src-shared/contract';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { XRP_5M } from '../helpers/candles';

type Bars = { symbol: string; timeframe: string; bar_ms: number; candles: Candle[] };

describe('GET /history/candles', () => {
  let api: ApiHarness;
  const rows = JSON.parse(readFileSync(XRP_5M, 'utf8')) as number[][];
  beforeAll(async () => {
    api = await startApi();
    expect((await api.call('POST', '/history/imports', { symbol: 'XRP/USDT', timeframe: '5m', candles: rows })).status).toBe(200);
  });
  afterAll(() => api.close());

  it('answers the kept candles of a range as they are, oldest first', async () => {
    const from = rows[10][0];
    const to = rows[19][0];
    const r = await api.call<Bars>('GET', `/history/candles?symbol=XRP%2FUSDT&timeframe=5m&from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    expect(r.body.bar_ms).toBe(300_000);
    expect(r.body.candles.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume])).toEqual(rows.slice(10, 20));
  });

  it('merges a long range into at most `limit` bars whose extremes are the candles’ own', async () => {
    const r = await api.call<Bars>('GET', '/history/candles?symbol=XRP%2FUSDT&timeframe=5m&limit=100');
    expect(r.status).toBe(200);
    expect(r.body.candles.length).toBeLessThanOrEqual(100);
    expect(r.body.bar_ms % 300_000).toBe(0);
    expect(Math.max(...r.body.candles.map((c) => c.high))).toBe(Math.max(...rows.map((x) => x[2])));
    expect(Math.min(...r.body.candles.map((c) => c.low))).toBe(Math.min(...rows.map((x) => x[3])));
    expect(r.body.candles.reduce((s, c) => s + c.volume, 0)).toBeCloseTo(
      rows.reduce((s, x) => s + x[5], 0),
      0,
    );
  });

  it('a set not kept names symbol and timeframe; a range with no candles names from and to', async () => {
    const none = await api.call('GET', '/history/candles?symbol=BTC%2FUSDT&timeframe=5m');
    expect(none.status).toBe(400);
    expect(Object.keys(none.body.fields).sort()).toEqual(['symbol', 'timeframe']);
    const empty = await api.call('GET', `/history/candles?symbol=XRP%2FUSDT&timeframe=5m&from=1000&to=2000`);
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.fields).sort()).toEqual(['from', 'to']);
    const upside = await api.call('GET', `/history/candles?symbol=XRP%2FUSDT&timeframe=5m&from=2000&to=1000`);
    expect([upside.status, Object.keys(upside.body.fields)]).toEqual([400, ['from']]);
  });
});
