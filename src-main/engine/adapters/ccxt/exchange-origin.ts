/**
 * BOT_EXCHANGE_API_URL (contract §2): the origin (scheme, host, port) of every REST URL a ccxt exchange holds — in
 * `urls.api`, and in `urls.test` / `urls.demo` / `urls.apiBackup`, which sandbox mode swaps in — is replaced, each
 * path kept. WebSocket URLs get the same host with ws(s):, so nothing can still reach the real exchange.
 */

/** the part of a ccxt Exchange this needs (ccxt types `urls` loosely) */
export interface HasUrls { urls: Record<string, unknown> }

const URL_RE = /^(https?|wss?):\/\/[^/?#]+/i;
const URL_KEYS = ['api', 'test', 'demo', 'apiBackup'] as const;

/** rewrites in place; returns how many URLs it rewrote (0 means this ccxt keeps its URLs elsewhere: refuse to go on) */
export function pointExchangeAt(exchange: HasUrls, origin: string): number {
  const target = new URL(origin);
  if (target.pathname !== '/' || target.search || target.hash) throw new Error(`an origin has no path or query: ${origin}`);
  const http = `${target.protocol}//${target.host}`;
  const ws = `${target.protocol === 'https:' ? 'wss:' : 'ws:'}//${target.host}`;
  let count = 0;
  const rewrite = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const m = URL_RE.exec(node);
      if (!m) return node;
      count++;
      return (m[1].toLowerCase().startsWith('ws') ? ws : http) + node.slice(m[0].length);
    }
    if (Array.isArray(node)) return node.map(rewrite);
    if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const k of Object.keys(obj)) obj[k] = rewrite(obj[k]);
      return obj;
    }
    return node;
  };
  for (const key of URL_KEYS) {
    if (exchange.urls[key] !== undefined) exchange.urls[key] = rewrite(exchange.urls[key]);
  }
  return count;
}
