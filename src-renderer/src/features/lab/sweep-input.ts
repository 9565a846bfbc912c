/**
 * The sweep form's text → the `vary` of POST /sweeps (docs/contract.md §11): a key takes either a list of values
 * ("1, 1.5, 2") or a range (from, to, step). Checked here as the server will, so a mistake is named beside its field
 * before anything is sent; the server stays the judge.
 */
import { MAX_SWEEP_KEYS, MAX_SWEEP_RUNS } from '../../../../src-shared/contract';

export { MAX_SWEEP_KEYS, MAX_SWEEP_RUNS };

export type VarySpec = number[] | { from: number; to: number; step: number };

export interface VaryRow {
  key: string;
  mode: 'list' | 'range';
  list: string;
  from: string;
  to: string;
  step: string;
}

export type VaryCheck =
  { ok: true; vary: Record<string, VarySpec>; runs: number } | { ok: false; errors: Record<string, string>; runs: number | null };

const isNumber = (raw: string) => raw.trim() !== '' && Number.isFinite(Number(raw));

/** "1, 1.5 2;3" → [1, 1.5, 2, 3]; null with the first bad item named */
export function parseValueList(text: string): { values: number[] } | { error: string } {
  const items = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) return { error: 'give at least one value' };
  const bad = items.find((s) => !isNumber(s));
  if (bad !== undefined) return { error: `"${bad}" is not a number` };
  const values = [...new Set(items.map(Number))];
  return { values };
}

/** how many values from..to by step holds (both ends included, a float step's rounding forgiven) */
export function rangeCount(from: number, to: number, step: number): number {
  return Math.floor((to - from) / step + 1e-9) + 1;
}

/** the values of a range, rounded to the step's decimals so 0.1 + 0.2 shows as 0.3 */
export function expandRange(from: number, to: number, step: number): number[] {
  const decimals = Math.max(decimalsOf(from), decimalsOf(step));
  const n = rangeCount(from, to, step);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((from + i * step).toFixed(decimals)));
  return out;
}

function decimalsOf(n: number): number {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** one row → its spec, or the error of each field (keyed `vary.<key>.<field>`) */
function checkRow(row: VaryRow): { spec: VarySpec; count: number } | { errors: Record<string, string> } {
  const at = (field: string) => `vary.${row.key}.${field}`;
  if (row.mode === 'list') {
    const parsed = parseValueList(row.list);
    return 'error' in parsed ? { errors: { [at('list')]: parsed.error } } : { spec: parsed.values, count: parsed.values.length };
  }
  const errors: Record<string, string> = {};
  for (const field of ['from', 'to', 'step'] as const) if (!isNumber(row[field])) errors[at(field)] = 'must be a number';
  if (Object.keys(errors).length) return { errors };
  const [from, to, step] = [Number(row.from), Number(row.to), Number(row.step)];
  if (step <= 0) return { errors: { [at('step')]: 'must be above 0' } };
  if (from > to) return { errors: { [at('from')]: 'must not be after to' } };
  return { spec: { from, to, step }, count: rangeCount(from, to, step) };
}

/** The form's rows → `vary` and the number of runs it makes; every problem named by its field. */
export function checkVary(rows: VaryRow[]): VaryCheck {
  const errors: Record<string, string> = {};
  const vary: Record<string, VarySpec> = {};
  let runs = 1;
  if (!rows.length) return { ok: false, errors: { vary: 'choose at least one key to vary' }, runs: null };
  if (rows.length > MAX_SWEEP_KEYS) errors.vary = `at most ${MAX_SWEEP_KEYS} keys vary at once`;
  for (const row of rows) {
    if (!row.key) {
      errors.vary = 'every row needs a key';
      continue;
    }
    if (row.key in vary) {
      errors[`vary.${row.key}`] = 'chosen twice';
      continue;
    }
    const r = checkRow(row);
    if ('errors' in r) Object.assign(errors, r.errors);
    else {
      vary[row.key] = r.spec;
      runs *= r.count;
    }
  }
  const counted = Object.keys(vary).length === rows.length ? runs : null;
  if (counted !== null && counted > MAX_SWEEP_RUNS)
    errors.vary = `${counted.toLocaleString('en-US')} runs is more than the ${MAX_SWEEP_RUNS.toLocaleString('en-US')} a sweep may make`;
  return Object.keys(errors).length ? { ok: false, errors, runs: counted } : { ok: true, vary, runs };
}
