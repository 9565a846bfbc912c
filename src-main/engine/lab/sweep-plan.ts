import {
  BotConfigSchema,
  configFields,
  MAX_SWEEP_RUNS,
  StrategySchema,
  type BotConfig,
  type SweepAxis,
  type SweepValue,
} from '../../../src-shared/contract';
import type { z } from 'zod';
import { EngineError } from '../errors';

/** keys a sweep may vary at the top of the config: the market is the request's own, the strategy is varied by its params */
const NOT_VARIED = new Set(['symbol', 'timeframe', 'strategy']);
const PARAM_PREFIX = 'strategy.params.';

export type SweepParams = Record<string, SweepValue>;

export interface SweepPlan {
  runs: { params: SweepParams; config: BotConfig }[];
  skipped: { params: SweepParams; reason: string }[];
}

/** the values of one axis: a list as given, or from..to by step (rounded to the step's decimals, so 0.1 steps stay 0.3) */
function axisValues(key: string, axis: SweepAxis, fields: Record<string, string>): SweepValue[] | number {
  if (Array.isArray(axis)) return axis;
  if (axis.to < axis.from) {
    fields[`vary.${key}.to`] = 'must not be below from';
    return 0;
  }
  const count = Math.floor((axis.to - axis.from) / axis.step + 1e-9) + 1;
  if (count > MAX_SWEEP_RUNS) return count;
  const decimals = Math.min(12, Math.max(decimalsOf(axis.from), decimalsOf(axis.step)));
  return Array.from({ length: count }, (_, i) => Number((axis.from + i * axis.step).toFixed(decimals)));
}

const decimalsOf = (n: number): number => {
  const s = String(n);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  return s.includes('.') ? s.split('.')[1].length : 0;
};

/** the schema one varied key's values must meet on their own (null: not a key a sweep can vary) */
function fieldSchema(key: string, base: BotConfig): z.ZodType | null {
  if (key.startsWith(PARAM_PREFIX)) {
    const name = key.slice(PARAM_PREFIX.length);
    const option = StrategySchema.options.find((o) => o.shape.name.value === base.strategy.name);
    const params = option?.shape.params.unwrap() as unknown as z.ZodObject | undefined;
    return params && Object.prototype.hasOwnProperty.call(params.shape, name) ? (params.shape[name] as z.ZodType) : null;
  }
  if (NOT_VARIED.has(key) || !Object.prototype.hasOwnProperty.call(configFields, key)) return null;
  return configFields[key as keyof typeof configFields] as z.ZodType;
}

function withValue(config: BotConfig, key: string, value: SweepValue): BotConfig {
  if (!key.startsWith(PARAM_PREFIX)) return { ...config, [key]: value };
  const name = key.slice(PARAM_PREFIX.length);
  return { ...config, strategy: { ...config.strategy, params: { ...config.strategy.params, [name]: value } } as BotConfig['strategy'] };
}

/**
 * Every combination of the varied keys over `base` (docs/contract.md §11). A key that is not a config key, a value its
 * field refuses, or more than MAX_SWEEP_RUNS runs is bad input (nothing runs); a combination only the rules between
 * fields refuse (fast ≥ slow, position_size_pct × max_positions > 100) is skipped and listed.
 */
export function planSweep(base: BotConfig, vary: Record<string, SweepAxis>): SweepPlan {
  const fields: Record<string, string> = {};
  const axes: [string, SweepValue[]][] = [];
  let total = 1;
  for (const [key, axis] of Object.entries(vary)) {
    const schema = fieldSchema(key, base);
    if (!schema) {
      fields[`vary.${key}`] = key.startsWith(PARAM_PREFIX)
        ? `not a parameter of the ${base.strategy.name} strategy`
        : 'not a config key a sweep can vary (a config key, or strategy.params.<name>)';
      continue;
    }
    const values = axisValues(key, axis, fields);
    if (typeof values === 'number') {
      total *= values;
      continue;
    }
    values.forEach((v, i) => {
      const r = schema.safeParse(v);
      if (!r.success && !(`vary.${key}` in fields))
        fields[`vary.${key}`] = `value #${i} (${JSON.stringify(v)}): ${r.error.issues[0].message}`;
    });
    total *= values.length;
    axes.push([key, values]);
  }
  if (Object.keys(fields).length > 0) throw new EngineError('invalid', `Invalid sweep: ${Object.keys(fields).join(', ')}.`, fields);
  if (total > MAX_SWEEP_RUNS) {
    throw new EngineError(
      'invalid',
      `This sweep would make ${total.toLocaleString('en-US')} runs; the most is ${MAX_SWEEP_RUNS.toLocaleString('en-US')}.`,
      {
        vary: `${total} runs, over the limit of ${MAX_SWEEP_RUNS}`,
      },
    );
  }
  const plan: SweepPlan = { runs: [], skipped: [] };
  const walk = (i: number, params: SweepParams, config: BotConfig) => {
    if (i === axes.length) {
      const r = BotConfigSchema.safeParse(config);
      if (r.success) plan.runs.push({ params, config: r.data });
      else plan.skipped.push({ params, reason: r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
      return;
    }
    const [key, values] = axes[i];
    for (const v of values) walk(i + 1, { ...params, [key]: v }, withValue(config, key, v));
  };
  walk(0, {}, base);
  if (plan.runs.length === 0) {
    throw new EngineError('invalid', `No combination of this sweep is a valid config: ${plan.skipped[0]?.reason ?? 'nothing to run'}.`, {
      vary: plan.skipped[0]?.reason ?? 'nothing to run',
    });
  }
  return plan;
}
