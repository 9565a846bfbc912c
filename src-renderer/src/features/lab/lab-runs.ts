/**
 * What the lab's runs mean for the bot's config: the config a run used, the baseline it is compared with (the bot's
 * current config on the same candles), the words the config history keeps for an applied run, and the from/to of the
 * forms. Pure, so it is tested under Node.
 */
import { fromLocalInput } from '../../components/format';
import type { BotConfig, ConfigPatch } from '../../../../src-shared/contract';
import { checkForm, diffConfig, type FormValues } from '../config/config-form';

/** the market keys: a run names its market in the request, so applying a run never moves the bot to another market */
const MARKET_KEYS = ['symbol', 'timeframe'] as const;

/** the request fields a lab job carries (docs/contract.md §11); everything optional, as jobs of any kind pass through */
export interface RunRequest {
  symbol?: unknown;
  timeframe?: unknown;
  from?: unknown;
  to?: unknown;
  config?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A sweep's `params` ("stop_loss_pct": 2, "strategy.params.fast": 9) laid over a config patch: strategy params travel
 * inside a whole `strategy`, whose name and other params come from the patch, else from the base config.
 */
export function withParams(base: BotConfig, patch: ConfigPatch, params: Record<string, unknown>): ConfigPatch {
  const out: Record<string, unknown> = { ...patch };
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith('strategy.')) {
      out[key] = value;
      continue;
    }
    const strategy = (out.strategy as BotConfig['strategy'] | undefined) ?? base.strategy;
    if (key === 'strategy.name') out.strategy = { name: value, params: {} };
    else out.strategy = { ...strategy, params: { ...strategy.params, [key.slice('strategy.params.'.length)]: value } };
  }
  return out as ConfigPatch;
}

/** The whole config a run stands for, over the bot's current one; the market stays the bot's. */
export function proposedConfig(current: BotConfig, runConfig: ConfigPatch | BotConfig): BotConfig {
  const merged: Record<string, unknown> = { ...current, ...runConfig };
  for (const k of MARKET_KEYS) merged[k] = current[k];
  return merged as BotConfig;
}

/** the config patch a lab request carried (`config`), or none */
export function requestPatch(request: RunRequest | undefined): ConfigPatch {
  return isObject(request?.config) ? (request.config as ConfigPatch) : {};
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** not compared: the market (the request's own) and `enabled` (a lab run always takes its entries) */
const NOT_COMPARED: readonly string[] = [...MARKET_KEYS, 'enabled', 'strategy'];

/** keys whose values differ between two configs, strategy params one by one; see NOT_COMPARED */
export function differingKeys(a: BotConfig, b: BotConfig): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(a) as (keyof BotConfig)[]) {
    if (NOT_COMPARED.includes(k)) continue;
    if (!sameValue(a[k], b[k])) keys.push(k);
  }
  if (a.strategy.name !== b.strategy.name) keys.push('strategy.name');
  else {
    const params = a.strategy.params as Record<string, unknown>;
    const others = b.strategy.params as Record<string, unknown>;
    for (const k of new Set([...Object.keys(params), ...Object.keys(others)]))
      if (!sameValue(params[k], others[k])) keys.push(`strategy.params.${k}`);
  }
  return keys;
}

/** two requests cover the same candles: market and from/to as sent (a missing from/to means the whole set) */
export function sameCandles(a: RunRequest | undefined, b: RunRequest | undefined): boolean {
  return !!a && !!b && a.symbol === b.symbol && a.timeframe === b.timeframe && a.from === b.from && a.to === b.to;
}

/** "BTC/USDT 1h" */
export function marketOf(request: RunRequest | undefined): string {
  return request ? `${String(request.symbol ?? '?')} ${String(request.timeframe ?? '')}`.trim() : '?';
}

const showParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** the words the config history keeps for an applied run (at most 160 characters, the server's limit) */
export function runSource(o: { kind: 'backtest' | 'sweep'; jobId: number; rank?: number; params?: Record<string, unknown> }): string {
  const what = o.kind === 'backtest' ? `lab backtest job ${o.jobId}` : `lab sweep job ${o.jobId}, run ${o.rank ?? '?'}`;
  const params = o.params ? Object.entries(o.params).map(([k, v]) => `${k.replace(/^strategy\.params\./, '')}=${showParam(v)}`) : [];
  const text = params.length ? `${what} (${params.join(', ')})` : what;
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export type RangeCheck = { ok: true; from: number | undefined; to: number | undefined } | { ok: false; errors: Record<string, string> };

/**
 * A form's from/to (datetime-local text, or a bare date) → epoch ms. Either may be left empty where `optional`
 * (a backtest then takes the set's whole range, a download runs to now); `from` after `to` is named on `from`, as the
 * server names it.
 */
export function parseRange(fromText: string, toText: string, optional: { from: boolean; to: boolean }): RangeCheck {
  const errors: Record<string, string> = {};
  const read = (field: 'from' | 'to', text: string): number | undefined => {
    const t = text.trim();
    if (!t) {
      if (!optional[field]) errors[field] = 'required';
      return undefined;
    }
    const ms = fromLocalInput(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00` : t);
    if (ms === null) errors[field] = 'must be a date and time';
    return ms ?? undefined;
  };
  const from = read('from', fromText);
  const to = read('to', toText);
  if (from !== undefined && to !== undefined && from >= to) errors.from = 'must be before to';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, from, to };
}

/**
 * The config form of a lab run (the config editor's fields, starting from the bot's config) → the keys that differ
 * from the bot's config, as a backtest or sweep request sends them (`config`, docs/contract.md §11), or the bad fields.
 */
export function labOverrides(current: BotConfig, values: FormValues): { patch: ConfigPatch; errors: Record<string, string> } {
  const check = checkForm({ ...values, symbol: current.symbol, timeframe: current.timeframe });
  if (!check.config) return { patch: {}, errors: check.errors };
  return { patch: diffConfig(current, check.config).patch, errors: {} };
}

/** the server names a run's config keys `config.<key>` (docs/contract.md §11); the form's fields are the bare keys */
export function formFields(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, why] of Object.entries(fields)) out[k.startsWith('config.') ? k.slice('config.'.length) : k] = why;
  return out;
}
