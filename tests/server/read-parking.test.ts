// Trading before monitoring (docs/contract.md §3): while the bot's order path is busy, the API server parks reads and
// answers them all, in arrival order, when it ends; control requests, the health route and the event stream are never
// held; a path that outlasts the bound lets its reads go. The real server on a real socket; the order path is driven
// by hand here (tests/app/read-parking.test.ts drives it with a real close on the exchange emulator).
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { OrderPath } from '../../src-main/engine/order-path';
import type { OperationHandlers } from '../../src-shared/contract';
import { startApi, type ApiHarness, type HttpAnswer } from '../helpers/api-harness';
import { connectEvents } from '../helpers/ws-client';
import { waitFor } from '../helpers/wait';

const READS = ['/bot/status', '/bot/balances', '/bot/positions', '/bot/stats', '/bot/config', '/bot/orders'] as const;
const HANDLER_OF: Record<(typeof READS)[number], keyof OperationHandlers> = {
  '/bot/status': 'getStatus',
  '/bot/balances': 'getBalances',
  '/bot/positions': 'getPositions',
  '/bot/stats': 'getStats',
  '/bot/config': 'getConfig',
  '/bot/orders': 'getOrders',
};

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** the runtime's handlers record which read they served, in order (the server calls them through the same object) */
function recordReads(api: ApiHarness): string[] {
  const served: string[] = [];
  const handlers = api.runtime.handlers as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const path of READS) {
    const name = HANDLER_OF[path];
    const inner = handlers[name];
    handlers[name] = (...a: unknown[]) => {
      served.push(path);
      return inner(...a);
    };
  }
  return served;
}

/** GETs sent one after another, each once the previous one is parked: the arrival order is the order sent */
async function parkReads(api: ApiHarness, paths: readonly string[], answered: HttpAnswer[]): Promise<Promise<HttpAnswer>[]> {
  const parking = api.server.readParking!;
  const sent: Promise<HttpAnswer>[] = [];
  for (const [i, path] of paths.entries()) {
    const before = parking.waiting;
    sent.push(api.call('GET', path, undefined, { token: i % 2 ? api.readToken : api.token }).then((a) => (answered.push(a), a)));
    await waitFor(() => parking.waiting === before + 1, `read ${i + 1} (${path}) parked`);
  }
  return sent;
}

describe('reads during the order path', () => {
  it('are parked, control and the event stream are not, and every read is answered in arrival order when the path ends', async () => {
    const orderPath = new OrderPath();
    h = await startApi({ orderPath, maxParkMs: 60_000 });
    const api = h;
    const served = recordReads(api);
    const ws = await connectEvents(`${api.url.replace('http', 'ws')}/ws/events?types=config_changed`, {
      headers: { Authorization: `Bearer ${api.readToken}` },
    });
    // quiet: answered at once
    expect((await api.call('GET', '/bot/status')).status).toBe(200);
    expect(api.server.readParking!.parkedTotal).toBe(0);
    served.length = 0;

    const leave = orderPath.enter();
    const answered: HttpAnswer[] = [];
    const order = [...READS, ...READS];
    const reads = await parkReads(api, order, answered);
    expect(api.server.readParking!.waiting).toBe(order.length);
    expect(answered).toEqual([]);
    expect(served).toEqual([]);

    // meanwhile control goes through, and so do the health route and the event it causes on the stream
    const put = await api.call('PUT', '/bot/config', { max_positions: 2 });
    expect(put.status).toBe(200);
    expect((await api.call('GET', '/health', undefined, { token: null })).status).toBe(200);
    await waitFor(() => ws.events.some((e) => e.type === 'config_changed'), 'the config_changed event while reads are parked');
    expect(answered).toEqual([]);
    // a client that gives up while parked costs the others nothing
    const gaveUp = new AbortController();
    const abandoned = fetch(`${api.url}/api/v1/bot/stats`, {
      headers: { Authorization: `Bearer ${api.token}` },
      signal: gaveUp.signal,
    }).catch((e: Error) => e.name);
    await waitFor(() => api.server.readParking!.waiting === order.length + 1, 'the abandoned read parked');
    gaveUp.abort();
    expect(await abandoned).toBe('AbortError');

    leave();
    const answers = await Promise.all(reads);
    expect(answers.map((a) => a.status)).toEqual(order.map(() => 200));
    // the config read answered after the path sees the change made while it waited
    expect(answers.filter((_, i) => order[i] === '/bot/config').map((a) => a.body.max_positions)).toEqual([2, 2]);
    // in arrival order (the abandoned read may be served to its closed socket at the end, or skipped)
    expect(served.slice(0, order.length)).toEqual(order);
    expect(served.length).toBeLessThanOrEqual(order.length + 1);
    expect(api.server.readParking!.waiting).toBe(0);
    expect(api.server.readParking!.parkedTotal).toBe(order.length + 1);
    expect(api.server.readParking!.expiredPaths).toBe(0);
    const metrics = (await api.raw({ path: '/metrics', headers: { Authorization: `Bearer ${api.token}` } })).text;
    expect(metrics).toMatch(new RegExp(`^botdesk_reads_parked_total ${order.length + 1}$`, 'm'));
    expect(metrics).toMatch(/^botdesk_read_parking_bound_total 0$/m);
    // idle again: answered at once
    expect((await api.call('GET', '/bot/positions')).status).toBe(200);
    expect(api.server.readParking!.parkedTotal).toBe(order.length + 1);
    ws.ws.close();
  });

  it('a path that outlasts the bound lets its reads go and parks nothing more until it ends', async () => {
    const orderPath = new OrderPath();
    // long enough to park six reads on a busy machine, short enough for a test
    h = await startApi({ orderPath, maxParkMs: 3_000 });
    const api = h;
    const served = recordReads(api);
    const leave = orderPath.enter(); // and never left while the reads wait: an exchange that does not answer
    const answered: HttpAnswer[] = [];
    const answers = await Promise.all(await parkReads(api, READS, answered));
    expect(orderPath.busy).toBe(true);
    expect(answers.map((a) => a.status)).toEqual(READS.map(() => 200));
    expect(served).toEqual([...READS]);
    expect(api.server.readParking!.expiredPaths).toBe(1);
    // past the bound, reads go straight through while the same path goes on
    const parkedSoFar = api.server.readParking!.parkedTotal;
    expect((await api.call('GET', '/bot/status')).status).toBe(200);
    expect(api.server.readParking!.parkedTotal).toBe(parkedSoFar);
    // the next path parks again
    leave();
    const again = orderPath.enter();
    const late = api.call('GET', '/bot/stats');
    await waitFor(() => api.server.readParking!.waiting === 1, 'a read parked on the next path');
    again();
    expect((await late).status).toBe(200);
  });

  it("a read-only client's connection is not read from during the path; its request is answered after it", async () => {
    const orderPath = new OrderPath();
    h = await startApi({ orderPath, maxParkMs: 60_000 });
    const api = h;
    // one keep-alive connection, authenticated with the read token before the path begins
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; at: number }>((resolve, reject) => {
        const req = request(`${api.url}/api/v1${path}`, { agent, headers: { Authorization: `Bearer ${api.readToken}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, at: performance.now() }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect((await get('/bot/status')).status).toBe(200);
      const leave = orderPath.enter();
      const pending = get('/bot/stats');
      // nothing to wait for: the server does not even read the request, so it is neither answered nor parked
      await new Promise((r) => setTimeout(r, 300));
      expect(api.server.readParking!.waiting).toBe(0);
      const leftAt = performance.now();
      leave();
      const answer = await pending;
      expect(answer.status).toBe(200);
      expect(answer.at).toBeGreaterThan(leftAt);
      expect(api.server.readParking!.parkedTotal).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});
