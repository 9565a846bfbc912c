/**
 * One read of something remote that many callers share (the account's balances, asked by every dashboard and API
 * client at once): callers who ask while a request is pending join it, its answer is kept for a short while, and
 * requests are spaced out, so a flood of callers costs the exchange at most one request per interval.
 */
export interface SharedRead<T> {
  /**
   * The answer: the kept one while it is fresh, else that of the pending request (joined), else of a new request,
   * which starts no sooner than the interval after the previous answer came back (the caller waits for it).
   */
  get(): Promise<T>;
  /**
   * What is kept is out of date (the bot's own order changed the account): the next get() is answered by a request
   * that starts after this call. A request already in flight still answers those who asked before.
   */
  invalidate(): void;
}

export interface SharedReadOptions {
  /** how long an answer is served after it came back (default 1000 ms) */
  maxAgeMs?: number;
  /** the least time between one request's answer and the next request's start (default maxAgeMs) */
  minIntervalMs?: number;
  /**
   * Callers answered per turn of the event loop when a request comes back (default 64): two thousand waiting HTTP
   * requests answered in one go hold the loop for a few hundred ms, and the bot's order replies wait behind them.
   */
  answerPerTurn?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** the next turn of the event loop (default setImmediate) */
  nextTurn?: (fn: () => void) => void;
}

/**
 * A SharedRead over `read`. Errors are never kept: they go to the callers of the request that failed, and the next
 * caller gets a new request (spaced like any other, so a refused key under a flood is still one request a second).
 */
export function sharedRead<T>(read: () => Promise<T>, o: SharedReadOptions = {}): SharedRead<T> {
  const maxAgeMs = o.maxAgeMs ?? 1000;
  const minIntervalMs = o.minIntervalMs ?? maxAgeMs;
  const perTurn = Math.max(1, o.answerPerTurn ?? 64);
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const nextTurn = o.nextTurn ?? ((fn: () => void) => void setImmediate(fn));
  let kept: { value: T; at: number } | null = null;
  interface Request {
    waiters: { resolve(v: T): void; reject(e: unknown): void }[];
    sent: boolean;
  }
  /** the request callers join: waiting for its turn or sent, and started (or to start) after the last invalidate */
  let pending: Request | null = null;
  /** the request on the wire, if any (at most one: the next waits for its answer) */
  let onWire: Promise<unknown> | null = null;
  /** when the last answer (value or error) came back */
  let lastAnswer = -Infinity;

  /** answer a request's callers a chunk per turn of the event loop, in the order they asked */
  const answer = (waiters: Request['waiters'], settle: (w: Request['waiters'][number]) => void) => {
    let i = 0;
    const chunk = () => {
      for (const end = Math.min(waiters.length, i + perTurn); i < end; i++) settle(waiters[i]);
      if (i < waiters.length) nextTurn(chunk);
    };
    chunk();
  };

  const start = (): Request => {
    const mine: Request = { waiters: [], sent: false };
    pending = mine;
    void (async () => {
      // one request at a time, each no sooner than the interval after the previous answer
      for (;;) {
        if (onWire) await onWire;
        const wait = lastAnswer + minIntervalMs - now();
        if (wait <= 0 && !onWire) break;
        if (wait > 0) await sleep(wait);
      }
      mine.sent = true;
      const request = new Promise<T>((resolve) => resolve(read())); // a read that throws at once fails like any other
      const settled = request.then(
        () => undefined,
        () => undefined,
      );
      onWire = settled;
      try {
        const value = await request;
        if (pending === mine) kept = { value, at: now() };
        answer(mine.waiters, (w) => w.resolve(value));
      } catch (e) {
        answer(mine.waiters, (w) => w.reject(e));
      } finally {
        lastAnswer = now();
        if (onWire === settled) onWire = null;
        if (pending === mine) pending = null;
      }
    })();
    return mine;
  };

  return {
    get() {
      if (kept && now() - kept.at < maxAgeMs) return Promise.resolve(kept.value);
      const request = pending ?? start();
      return new Promise<T>((resolve, reject) => request.waiters.push({ resolve, reject }));
    },
    invalidate() {
      kept = null;
      // a request still waiting for its turn starts after this call, so it stays; one already sent may predate it
      if (pending?.sent) pending = null;
    },
  };
}
