// Load, short form (10 s; the bench runs 60 s and, with BOTDESK_SOAK=1, an hour): mixed API traffic and 200
// event-stream clients on a real server whose bot trades a fast replay. No error answers, no event missed or out of
// order on any client.
import { describe, expect, it } from 'vitest';
import { formatLoad, runLoad } from './load';

describe('load while the bot trades', () => {
  it('10 s of mixed traffic and 200 stream clients: no errors, every seq once and in order', async () => {
    const r = await runLoad({ seconds: 10, wsClients: 200, workers: 8 });
    console.log(formatLoad(r));
    expect(r.errors.slice(0, 5)).toEqual([]);
    expect(r.ws.problems.slice(0, 5)).toEqual([]);
    expect(r.ws.clients).toBe(200);
    expect(r.ws.events).toBeGreaterThan(200);
    expect(r.requests).toBeGreaterThan(100);
    for (const route of ['GET /bot/status', 'GET /bot/stats', 'GET /bot/trades', 'GET /bot/config', 'GET /bot/balances'])
      expect(r.perRoute[route]?.n, route).toBeGreaterThan(0);
  }, 90_000);
});
