/**
 * Faults a test arms for the next N calls of one endpoint (docs/security.md R2–R5): an overloaded exchange (503),
 * rate limiting (429 with Retry-After, then 418 for the IP ban), a slow answer, and the lost acknowledgement — the
 * request is carried out (the order is in the book) but its answer never arrives — and the dropped request, which
 * never reaches the exchange at all (a partition, R6). `'error'` answers binance's error JSON with the test's own code
 * and words: what an exchange says ends up in ccxt's error text, and from there in logs and events.
 */
export type FaultKind = '503' | '429' | '418' | 'error' | 'delay' | 'lostAck' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** the path as binance has it, e.g. '/api/v3/order'; '*' matches every path */
  path: string;
  /** 'GET', 'POST', 'DELETE'…; omitted = any method */
  method?: string;
  /** how many matching calls it hits (default 1; Infinity = until cleared) */
  times?: number;
  /** 'delay': how long the answer waits after the request was carried out */
  delayMs?: number;
  /** '429' / '418': the Retry-After header in seconds (default 1) */
  retryAfterS?: number;
  /** 'error': HTTP status (default 400), binance code (default -1000) and msg of the answer */
  status?: number;
  code?: number;
  msg?: string;
  /** 'lostAck' / 'drop': 'destroy' resets the socket at once (NetworkError); 'hang' never answers (RequestTimeout) */
  mode?: 'destroy' | 'hang';
}

interface Armed {
  spec: FaultSpec;
  left: number;
}

export class Faults {
  private armed: Armed[] = [];

  add(spec: FaultSpec): void {
    this.armed.push({ spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** the first armed fault matching this call, counted as used */
  take(method: string, path: string): FaultSpec | undefined {
    const hit = this.armed.find(
      (a) => (a.spec.path === '*' || a.spec.path === path) && (!a.spec.method || a.spec.method.toUpperCase() === method),
    );
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.spec;
  }
}

/** the answers binance gives when it refuses a call outright; the order is never looked at */
export function refusal(spec: FaultSpec, now: number): { status: number; headers: Record<string, string>; body: string } {
  const retry = String(spec.retryAfterS ?? 1);
  if (spec.kind === 'error') {
    return {
      status: spec.status ?? 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: spec.code ?? -1000, msg: spec.msg ?? 'An unknown error occurred while processing the request.' }),
    };
  }
  if (spec.kind === '429') {
    return {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': retry },
      body: JSON.stringify({
        code: -1003,
        msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      }),
    };
  }
  if (spec.kind === '418') {
    const until = now + (spec.retryAfterS ?? 1) * 1000;
    return {
      status: 418,
      headers: { 'content-type': 'application/json', 'retry-after': retry },
      body: JSON.stringify({
        code: -1003,
        msg: `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
      }),
    };
  }
  // binance's gateway answers an overload with a bare text body; ccxt then goes by the status alone
  return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'Service Unavailable.' };
}
