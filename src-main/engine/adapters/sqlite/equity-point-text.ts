/**
 * The per-candle equity points' answer text, written here from values SQLite hands over without formatting them:
 * each point's equity is also stored as its 8 bytes (the `packed` column, migration 8), so a window's equities cross
 * as ONE blob and its timestamps as one text (SQLite writes integers cheaply; a double it formats at ~0.2 µs, which
 * was most of a 500-candle answer, docs/benchmarks.md cold-reads). V8 writes the doubles at a fraction of that.
 */

/** bytes of one point's stored equity: one little-endian double */
export const EQUITY_BYTES = 8;

/** an equity as its stored bytes */
export function packEquity(equity: number): Uint8Array {
  const bytes = new Uint8Array(EQUITY_BYTES);
  new DataView(bytes.buffer).setFloat64(0, equity, true);
  return bytes;
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** little-endian doubles stored back to back: a view on the bytes where it can be (aligned, on a little-endian machine), else a copy */
export function storedDoubles(bytes: Uint8Array): Float64Array {
  if (littleEndian && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: bytes.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

/**
 * `[{"ts":…,"equity":…},…]` as JSON.stringify writes it, from the window's timestamps as SQLite joined them
 * (`group_concat(ts)`: integers, comma-separated, SQLite's digits are JSON's) and its equities; null when an equity
 * is not finite (the caller then hands the points to the schema's writer, which refuses them as the API does).
 */
export function equityPointsText(timestamps: string, equities: Float64Array): string | null {
  let out = '[';
  let start = 0;
  for (let i = 0; i < equities.length; i++) {
    const equity = equities[i];
    if (!Number.isFinite(equity)) return null;
    const end = i === equities.length - 1 ? timestamps.length : timestamps.indexOf(',', start);
    out += (i ? ',{"ts":' : '{"ts":') + timestamps.slice(start, end) + ',"equity":' + equity + '}';
    start = end + 1;
  }
  return out + ']';
}
