/** Number and time formatting for a trading screen: fixed decimals, thousands separators, explicit signs on P&L. */

const cache = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number, sign: boolean): Intl.NumberFormat {
  const key = `${min}:${max}:${sign}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      signDisplay: sign ? 'exceptZero' : 'auto',
    });
    cache.set(key, f);
  }
  return f;
}

export const DASH = '—';
const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** 10,234.56 */
export const money = (n: number | null | undefined, decimals = 2) => (ok(n) ? nf(decimals, decimals, false).format(n) : DASH);
/** +12.30 / −4.10 */
export const signedMoney = (n: number | null | undefined, decimals = 2) => (ok(n) ? nf(decimals, decimals, true).format(n) : DASH);
/** +1.25% */
export const signedPct = (n: number | null | undefined, decimals = 2) => (ok(n) ? `${nf(decimals, decimals, true).format(n)}%` : DASH);
export const pct = (n: number | null | undefined, decimals = 2) => (ok(n) ? `${nf(decimals, decimals, false).format(n)}%` : DASH);

/** Price decimals by magnitude: BTC at 2, XRP at 4, tiny coins at 6–8. */
export function priceDecimals(price: number): number {
  const a = Math.abs(price);
  if (a >= 1000) return 2;
  if (a >= 1) return 4;
  if (a >= 0.01) return 5;
  return 8;
}
export const price = (n: number | null | undefined) => (ok(n) ? nf(priceDecimals(n), priceDecimals(n), false).format(n) : DASH);
/** amounts of the base asset: up to 6 decimals, no trailing zeros */
export const amount = (n: number | null | undefined) => (ok(n) ? nf(0, 6, false).format(n) : DASH);

export const pnlClass = (n: number | null | undefined) => (!ok(n) || n === 0 ? 'flat' : n > 0 ? 'up' : 'down');

const two = (n: number) => String(n).padStart(2, '0');
/** 2025-01-31 14:05:09 in local time */
export function dateTime(ms: number | null | undefined): string {
  if (!ok(ms)) return DASH;
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** 3d 04:05:06 */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = `${two(Math.floor((s % 86400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return days ? `${days}d ${rest}` : rest;
}

/** value for <input type="datetime-local"> ↔ epoch ms */
export function toLocalInput(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}
