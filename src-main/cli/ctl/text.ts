/** Small text helpers for the terminal client's human output: numbers, times, aligned tables. */

/** Prices and amounts: up to 8 significant digits, never an exponent. */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  const s = String(Number(n.toPrecision(8)));
  return s.includes('e') ? n.toFixed(12).replace(/\.?0+$/, '') : s;
}

/** Money: cents above 1, three significant digits below (a BTC-quoted P&L is tiny). */
export function money(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  return Math.abs(n) >= 1 ? n.toFixed(2) : num(Number(n.toPrecision(3)));
}

export const signed = (n: number): string => (n > 0 ? `+${money(n)}` : money(n));
export const pct = (n: number | null | undefined, digits = 2): string => (n === null || n === undefined ? '-' : `${n.toFixed(digits)}%`);

const two = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, `YYYY-MM-DD HH:MM:SS`. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock(ms)}`;
}

export function clock(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function duration(seconds: number): string {
  const s = Math.floor(seconds);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${two(m)}m`;
  return `${m}m ${two(s % 60)}s`;
}

/** An aligned table; the column indexes in `right` (numbers) are right-aligned. */
export function table(headers: string[], rows: string[][], right: Set<number> = new Set()): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `label  value` lines with the labels aligned. */
export function pairs(entries: Array<[string, string]>, indent = ''): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`.trimEnd()).join('\n');
}

/** A value as a person types it back in `config set`: strings bare, everything else as JSON. */
export const plain = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
