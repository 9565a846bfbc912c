// SharedRead: callers who ask together share one request, an answer is served for a short while, requests are spaced
// (one on the wire at a time, each at least the interval after the previous answer), errors are never kept, and an
// invalidate makes the next answer come from a request sent after it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sharedRead } from '../../src-main/engine/shared-read';

/** a read the test answers by hand, recording when each request was sent */
function handRead() {
  const sent: number[] = [];
  const waiting: { resolve(v: number): void; reject(e: Error): void }[] = [];
  let n = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      sent.push(Date.now());
      waiting.push({ resolve, reject });
    });
  return {
    read,
    sent,
    answer: () => waiting.shift()!.resolve(++n),
    fail: (msg: string) => waiting.shift()!.reject(new Error(msg)),
    get waiting() {
      return waiting.length;
    },
  };
}

describe('sharedRead', () => {
  // the clock and timers are the test's; setImmediate (answers spread over turns of the loop) stays real
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('a crowd asking at once costs one request, and the answer is served for maxAge after it came back', async () => {
    const h = handRead();
    const r = sharedRead(h.read, { maxAgeMs: 1000 });
    const crowd = Array.from({ length: 2000 }, () => r.get());
    expect(h.sent.length).toBe(1);
    h.answer();
    expect(await Promise.all(crowd)).toEqual(Array(2000).fill(1));
    await vi.advanceTimersByTimeAsync(999);
    expect(await r.get()).toBe(1);
    expect(h.sent.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const next = r.get();
    expect(h.sent.length).toBe(2);
    h.answer();
    expect(await next).toBe(2);
  });

  it('an error goes to the callers of its request only; the next request waits out the interval, so failures are spaced too', async () => {
    const h = handRead();
    const r = sharedRead(h.read, { maxAgeMs: 1000 });
    const first = [r.get(), r.get()];
    h.fail('refused');
    for (const p of first) await expect(p).rejects.toThrow('refused');
    const again = r.get(); // not the kept error: a new request, at its turn
    await vi.advanceTimersByTimeAsync(999);
    expect(h.sent.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.sent).toEqual([1_000_000, 1_001_000]);
    h.answer();
    expect(await again).toBe(1);
  });

  it('invalidate: the next answer comes from a request sent after it, never two on the wire, never closer than the interval', async () => {
    const h = handRead();
    const r = sharedRead(h.read, { maxAgeMs: 1000 });
    const a = r.get();
    h.answer();
    await a;
    await vi.advanceTimersByTimeAsync(1500); // stale: the next get sends at once
    const before = r.get();
    expect(h.sent.length).toBe(2);
    r.invalidate(); // the bot's order changed the account while that request was on the wire
    const after = r.get();
    expect(h.sent.length).toBe(2); // waits for the one on the wire, then for the interval
    h.answer();
    expect(await before).toBe(2); // those who asked before the invalidate get the older answer
    await vi.advanceTimersByTimeAsync(999);
    expect(h.sent.length).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.sent.length).toBe(3);
    h.answer();
    expect(await after).toBe(3);
    expect(await r.get()).toBe(3); // kept
    r.invalidate(); // a kept answer is dropped: the next get asks again, at its turn
    const fresh = r.get();
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.sent.length).toBe(4);
    h.answer();
    expect(await fresh).toBe(4);
    expect(h.waiting).toBe(0);
  });

  it('a request still waiting for its turn is not dropped by an invalidate: it is sent after it anyway', async () => {
    const h = handRead();
    const r = sharedRead(h.read, { maxAgeMs: 1000 });
    const a = r.get();
    h.answer();
    await a;
    r.invalidate();
    const waiting = r.get();
    r.invalidate();
    const joined = r.get();
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.sent.length).toBe(2);
    h.answer();
    expect([await waiting, await joined]).toEqual([2, 2]);
  });

  it('a crowd is answered a chunk per turn of the event loop, in the order it asked, so other work gets turns between', async () => {
    const h = handRead();
    const turns: (() => void)[] = [];
    const r = sharedRead(h.read, { answerPerTurn: 64, nextTurn: (fn) => turns.push(fn) });
    const order: number[] = [];
    const crowd = Array.from({ length: 200 }, (_, i) => r.get().then(() => order.push(i)));
    h.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(order.length).toBe(64);
    for (const expected of [128, 192, 200]) {
      turns.shift()!();
      await vi.advanceTimersByTimeAsync(0);
      expect(order.length).toBe(expected);
    }
    expect(turns).toEqual([]);
    await Promise.all(crowd);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(await r.get()).toBe(1); // kept: answered at once, no chunking
  });

  it('a read that throws at once is an error like any other and does not wedge the next caller', async () => {
    let calls = 0;
    const r = sharedRead(
      () => {
        calls++;
        if (calls === 1) throw new Error('sync');
        return Promise.resolve(calls);
      },
      { maxAgeMs: 10 },
    );
    await expect(r.get()).rejects.toThrow('sync');
    const next = r.get();
    await vi.advanceTimersByTimeAsync(10);
    expect(await next).toBe(2);
  });
});
