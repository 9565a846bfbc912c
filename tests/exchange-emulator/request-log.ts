/**
 * Every request the emulator received, oldest first, for tests to inspect — and to wait on: a test driving a bot in
 * another process waits for the bot's order to arrive (e.g. to kill the bot while the answer is held back, R2).
 */
import type { FaultKind } from './faults';
import type { Params } from './order-rules';

export interface RequestRecord {
  ts: number;
  method: string;
  path: string;
  /** query and form parameters together, without `signature` (the API key travels in a header and is never kept) */
  params: Params;
  /** the HTTP status sent; 0 = no answer (lost acknowledgement, dropped request); unset while being answered */
  status?: number;
  fault?: FaultKind;
  /** set when a handler threw (an emulator bug; the client got a 500) */
  error?: string;
}

export interface RequestFilter {
  method?: string;
  path?: string;
}

interface Waiter {
  filter: RequestFilter;
  count: number;
  resolve(r: RequestRecord): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const matches = (r: RequestRecord, f: RequestFilter | undefined): boolean =>
  (!f?.method || r.method === f.method.toUpperCase()) && (!f?.path || r.path === f.path);

const copy = (r: RequestRecord): RequestRecord => ({ ...r, params: { ...r.params } });

export class RequestLog {
  private records: RequestRecord[] = [];
  private waiters: Waiter[] = [];

  add(r: RequestRecord): void {
    this.records.push(r);
    for (const w of [...this.waiters]) this.settle(w);
  }

  list(filter?: RequestFilter): RequestRecord[] {
    return this.records.filter((r) => matches(r, filter)).map(copy);
  }

  clear(): void {
    this.records = [];
  }

  /** resolves with the `count`-th matching request (counting those already logged) as it arrives, before its answer */
  waitFor(filter: RequestFilter, opts: { count?: number; timeoutMs?: number } = {}): Promise<RequestRecord> {
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? 5_000;
      const w: Waiter = {
        filter,
        count: opts.count ?? 1,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new Error(`no ${filter.method ?? ''} ${filter.path ?? 'request'} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(w);
      this.settle(w);
    });
  }

  /** the emulator is closing: nobody waits any longer */
  close(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('emulator closed'));
    }
    this.waiters = [];
  }

  private settle(w: Waiter): void {
    const hits = this.records.filter((r) => matches(r, w.filter));
    if (hits.length < w.count) return;
    clearTimeout(w.timer);
    this.waiters = this.waiters.filter((x) => x !== w);
    w.resolve(copy(hits[w.count - 1]));
  }
}
