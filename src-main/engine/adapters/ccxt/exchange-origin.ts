/**
 * BOT_EXCHANGE_API_URL (docs/contract.md §2): replaces the origin (scheme, host, port) of every URL a ccxt exchange holds
 * in `urls.api` — and in `urls.test` / `urls.demo` / `urls.apiBackup`, which setSandboxMode swaps in — keeping each
 * path. WebSocket URLs get the same host with ws(s):, so nothing can still point at the real exchange.
 */

/** the part of a ccxt Exchange this needs (ccxt types `urls` loosely) */
export interface HasUrls {
  urls: Record<string, unknown>;
}

/** binance picks its market-type error map by the request URL's host (binance.js getExceptionsByUrl) */
interface ClassifiesByUrl {
  getExceptionsByUrl(url: string, exactOrBroad: string): unknown;
}

const URL_RE = /^(https?|wss?):\/\/[^/?#]+/i;
const URL_KEYS = ['api', 'test', 'demo', 'apiBackup'] as const;
const PATCHED = Symbol('pointExchangeAt');

/** counts the URLs it rewrote, so a caller can tell a ccxt that keeps them elsewhere (0) from a done job */
export function pointExchangeAt(exchange: HasUrls, origin: string): number {
  const target = new URL(origin);
  if (target.pathname !== '/' || target.search || target.hash) throw new Error(`an origin has no path or query: ${origin}`);
  const http = `${target.protocol}//${target.host}`;
  const ws = `${target.protocol === 'https:' ? 'wss:' : 'ws:'}//${target.host}`;
  /** new URL → the URL it replaced; the first one wins (urls.api, which holds the live or the sandbox set) */
  const replaced = new Map<string, string>();
  let count = 0;
  const rewrite = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const m = URL_RE.exec(node);
      if (!m) return node;
      count++;
      const moved = (m[1].toLowerCase().startsWith('ws') ? ws : http) + node.slice(m[0].length);
      if (!replaced.has(moved)) replaced.set(moved, node);
      return moved;
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
  keepErrorClasses(exchange, replaced);
  return count;
}

/**
 * ccxt's binance chooses its spot / futures error map by whether the URL starts with https://api.binance.com/ and
 * so on; at another origin only the generic map applies and some errors change class (-2021 cancelReplace failure:
 * BadResponse → ExchangeError). Looking the error map up under the URL the request would have had keeps ccxt's
 * classification exactly as against the real exchange.
 */
function keepErrorClasses(exchange: HasUrls, replaced: Map<string, string>): void {
  const target = exchange as HasUrls & Partial<ClassifiesByUrl> & { [PATCHED]?: Map<string, string> };
  if (typeof target.getExceptionsByUrl !== 'function') return;
  let table = target[PATCHED];
  if (!table) {
    const known = new Map<string, string>();
    const original = target.getExceptionsByUrl.bind(exchange);
    target.getExceptionsByUrl = (url: string, exactOrBroad: string) => original(translate(known, url), exactOrBroad);
    target[PATCHED] = known;
    table = known;
  }
  // pointed elsewhere again: map the newest URLs straight back to the exchange's own
  const add = [...replaced].map(([moved, before]) => [moved, translate(table, before)] as const);
  for (const [moved, before] of add) table.set(moved, before);
}

/** the URL a request would have had at the exchange itself */
function translate(table: Map<string, string>, url: string): string {
  let best = '';
  for (const moved of table.keys()) if (url.startsWith(moved) && moved.length > best.length) best = moved;
  return best ? (table.get(best) as string) + url.slice(best.length) : url;
}
