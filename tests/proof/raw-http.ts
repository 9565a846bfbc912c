// Byte-level HTTP requests for the proof suites: any method, any header (Host and Content-Type included), any payload,
// and the outcome whatever it is: an answer, or the socket error a client would see (a reset counts, it is not thrown).
import { request } from 'node:http';

export interface RawCall {
  method: string;
  /** path and query as sent on the request line */
  path: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

export type RawOutcome =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; text: string; ms: number }
  | { ok: false; error: string; ms: number };

export function rawCall(
  origin: { host: string; port: number; localAddress?: string },
  c: RawCall,
  timeoutMs = 30_000,
): Promise<RawOutcome> {
  const t0 = performance.now();
  // a body is always framed by its length (Node sends a DELETE's body unframed otherwise)
  const headers = c.payload === undefined ? c.headers : { 'Content-Length': String(Buffer.byteLength(c.payload)), ...c.headers };
  return new Promise((resolve) => {
    const req = request(
      // setHost false: a Host header given by the caller is sent as is, and none is added when the caller omits it
      {
        host: origin.host,
        port: origin.port,
        localAddress: origin.localAddress,
        method: c.method,
        path: c.path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - t0,
          }),
        );
        res.on('error', (e) => resolve({ ok: false, error: e.message, ms: performance.now() - t0 }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ ok: false, error: e.message, ms: performance.now() - t0 }));
    req.end(c.payload);
  });
}
