import { z } from 'zod';
import {
  BotConfigSchema,
  configFields,
  crossFieldProblems,
  fieldsOf,
  StrategySchema,
  type BotConfig,
  type ConfigPatch,
  type StrategyName,
} from '../../../../src-shared/contract';

/**
 * The config form is generated from the shared schemas (configFields, StrategySchema): a new config field shows up
 * here without touching the renderer. Labels and units are the only hand-written part.
 */
export type FieldSpec =
  | { key: string; label: string; kind: 'number'; min: number | null; max: number | null; int: boolean; unit: string }
  | { key: string; label: string; kind: 'enum'; options: readonly string[]; unit: string }
  | { key: string; label: string; kind: 'text'; unit: string }
  | { key: string; label: string; kind: 'boolean'; unit: string };

/** form state: every input's raw value, keyed by dotted path (strategy.params.fast) */
export type FormValues = Record<string, string | boolean>;

const LABELS: Record<string, [label: string, unit: string]> = {
  symbol: ['Symbol', ''],
  timeframe: ['Timeframe', ''],
  position_size_pct: ['Position size', '% of equity'],
  stop_loss_pct: ['Stop loss', '%'],
  take_profit_pct: ['Take profit', '%'],
  max_positions: ['Max open positions', ''],
  enabled: ['New entries enabled', ''],
  max_daily_loss_pct: ['Daily loss limit', '% (0 = off)'],
  fee_pct: ['Paper fee', '% per fill'],
  slippage_pct: ['Paper slippage', '%'],
  paper_balance: ['Paper balance', 'in the quote (before the first order)'],
  max_slippage_pct: ['Live entry price band', '% above the last price'],
  trailing_stop_pct: ['Trailing stop', '% below the highest price (0 = off)'],
  trailing_activation_pct: ['Trailing activation', '% profit before it trails (0 = at once)'],
  'strategy.name': ['Strategy', ''],
};
const ACRONYMS = new Set(['rsi', 'ema', 'sma', 'atr', 'macd']);
const humanize = (key: string) => {
  const words = (key.split('.').pop() ?? key).split('_').map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

type AnySchema = z.ZodType & {
  def: { type: string; innerType?: AnySchema };
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  options?: readonly string[];
};

const unwrap = (s: AnySchema): AnySchema =>
  s.def.type === 'default' || s.def.type === 'optional' ? unwrap(s.def.innerType as AnySchema) : s;

function specOf(key: string, schema: z.ZodType): FieldSpec | null {
  const s = unwrap(schema as AnySchema);
  const [label, unit] = LABELS[key] ?? [humanize(key), ''];
  switch (s.def.type) {
    case 'number':
      return { key, label, unit, kind: 'number', min: s.minValue ?? null, max: s.maxValue ?? null, int: !!s.isInt };
    case 'enum':
      return { key, label, unit, kind: 'enum', options: s.options ?? [] };
    case 'string':
      return { key, label, unit, kind: 'text' };
    case 'boolean':
      return { key, label, unit, kind: 'boolean' };
    default:
      return null;
  }
}

/** the top-level fields except `strategy`, which gets a name selector plus its own params */
export const baseFieldSpecs: FieldSpec[] = Object.entries(configFields)
  .filter(([key]) => key !== 'strategy')
  .map(([key, schema]) => specOf(key, schema))
  .filter((s): s is FieldSpec => s !== null);

type StrategyOption = z.ZodObject<{ name: z.ZodLiteral<StrategyName>; params: z.ZodType }>;
const strategyOptions = (StrategySchema as unknown as { options: StrategyOption[] }).options;

export const strategyNames: StrategyName[] = strategyOptions.map((o) => o.shape.name.value);

export function strategyParamSpecs(name: string): FieldSpec[] {
  const option = strategyOptions.find((o) => o.shape.name.value === name);
  if (!option) return [];
  const params = unwrap(option.shape.params as AnySchema) as unknown as z.ZodObject;
  return Object.entries(params.shape)
    .map(([key, schema]) => specOf(`strategy.params.${key}`, schema as z.ZodType))
    .filter((s): s is FieldSpec => s !== null);
}

/** default params of a strategy, for when the user switches to it */
export function strategyDefaults(name: string): Record<string, number> {
  const option = strategyOptions.find((o) => o.shape.name.value === name);
  return option ? (unwrap(option.shape.params as AnySchema).parse({}) as Record<string, number>) : {};
}

export function toFormValues(config: BotConfig): FormValues {
  const values: FormValues = {};
  for (const spec of baseFieldSpecs) {
    const v = (config as Record<string, unknown>)[spec.key];
    values[spec.key] = typeof v === 'boolean' ? v : String(v ?? '');
  }
  values['strategy.name'] = config.strategy.name;
  for (const [k, v] of Object.entries(config.strategy.params)) values[`strategy.params.${k}`] = String(v);
  return values;
}

/** Friendlier than zod's wording for the common number mistakes. */
function numberProblem(spec: Extract<FieldSpec, { kind: 'number' }>, raw: string): string | null {
  if (raw.trim() === '' || !Number.isFinite(Number(raw))) return 'must be a number';
  const n = Number(raw);
  if (spec.int && !Number.isInteger(n)) return 'must be a whole number';
  if ((spec.min !== null && n < spec.min) || (spec.max !== null && n > spec.max)) return `must be between ${spec.min} and ${spec.max}`;
  return null;
}

export interface FormCheck {
  /** the whole config the form describes, when it is valid */
  config: BotConfig | null;
  errors: Record<string, string>;
}

/** Form values → a full config, checked with BotConfigSchema and crossFieldProblems exactly as the server will. */
export function checkForm(values: FormValues): FormCheck {
  const errors: Record<string, string> = {};
  const candidate: Record<string, unknown> = {};
  const read = (spec: FieldSpec) => {
    const raw = values[spec.key];
    if (spec.kind === 'boolean') return raw === true;
    if (spec.kind !== 'number') return String(raw ?? '').trim();
    const problem = numberProblem(spec, String(raw ?? ''));
    if (problem) errors[spec.key] = problem;
    return Number(raw);
  };
  for (const spec of baseFieldSpecs) candidate[spec.key] = read(spec);
  const name = String(values['strategy.name']);
  const params: Record<string, unknown> = {};
  for (const spec of strategyParamSpecs(name)) params[spec.key.slice('strategy.params.'.length)] = read(spec);
  candidate.strategy = { name, params };

  const parsed = BotConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const [key, why] of Object.entries(fieldsOf(parsed.error, 'form'))) errors[key] ??= why;
  }
  if (typeof candidate.position_size_pct === 'number' && typeof candidate.max_positions === 'number') {
    for (const [key, why] of Object.entries(crossFieldProblems(candidate as Pick<BotConfig, 'position_size_pct' | 'max_positions'>)))
      errors[key] ??= why;
  }
  return { config: Object.keys(errors).length ? null : (parsed.data as BotConfig), errors };
}

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

/** What a save would change, field by field (strategy params listed one by one), and the patch that does it. */
export function diffConfig(before: BotConfig, after: BotConfig): { changes: Change[]; patch: ConfigPatch } {
  const changes: Change[] = [];
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof BotConfig)[]) {
    if (key === 'strategy') continue;
    if (before[key] !== after[key]) {
      changes.push({ field: key, from: before[key], to: after[key] });
      patch[key] = after[key];
    }
  }
  const sb = before.strategy;
  const sa = after.strategy;
  if (sb.name !== sa.name) changes.push({ field: 'strategy.name', from: sb.name, to: sa.name });
  const paramKeys = new Set([...Object.keys(sb.params), ...Object.keys(sa.params)]);
  let strategyChanged = sb.name !== sa.name;
  for (const k of paramKeys) {
    const from = (sb.params as Record<string, unknown>)[k];
    const to = (sa.params as Record<string, unknown>)[k];
    if (from !== to) {
      changes.push({ field: `strategy.params.${k}`, from, to });
      strategyChanged = true;
    }
  }
  // the strategy travels whole: its params only make sense together
  if (strategyChanged) patch.strategy = sa;
  return { changes, patch: patch as ConfigPatch };
}

export const showValue = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
