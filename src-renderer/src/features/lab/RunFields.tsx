import { useState } from 'react';
import type { BotConfig, HistorySet } from '../../../../src-shared/contract';
import { dateTime } from '../../components/format';
import { useDashboardStore } from '../../stores/dashboard-context';
import { ConfigField } from '../config/ConfigField';
import {
  baseFieldSpecs,
  strategyDefaults,
  strategyNames,
  strategyParamSpecs,
  toFormValues,
  type FieldSpec,
  type FormValues,
} from '../config/config-form';
import { setKey } from './HistorySets';
import { labOverrides } from './lab-runs';

/** what the backtest and sweep forms share: the candles (a kept set, an optional from/to) */
export interface RangeValues {
  set: string;
  from: string;
  to: string;
}

export const FieldError = ({ error, testId }: { error?: string; testId: string }) =>
  error ? (
    <div className="field-error" data-testid={testId}>
      {error}
    </div>
  ) : null;

/** Set, from, to: an empty from/to takes the set's own first / last candle. */
export function RangeFields({
  prefix,
  values,
  errors,
  onChange,
}: {
  prefix: string;
  values: RangeValues;
  errors: Record<string, string>;
  onChange(next: RangeValues): void;
}) {
  const sets = useDashboardStore('lab', (s) => s.sets);
  const chosen: HistorySet | undefined = sets.find((s) => setKey(s) === values.set);
  return (
    <div className="lab-fields">
      <label className="lab-field">
        <span>Candles</span>
        <select value={values.set} onChange={(e) => onChange({ ...values, set: e.target.value })} data-testid={`${prefix}-set`}>
          <option value="">— choose a set —</option>
          {sets.map((s) => (
            <option key={setKey(s)} value={setKey(s)}>
              {setKey(s)} · {s.candles.toLocaleString('en-US')} candles
            </option>
          ))}
        </select>
        <FieldError error={errors.symbol ?? errors.set} testId={`${prefix}-error-set`} />
      </label>
      <label className="lab-field">
        <span>From</span>
        <input
          type="datetime-local"
          value={values.from}
          onChange={(e) => onChange({ ...values, from: e.target.value })}
          data-testid={`${prefix}-from`}
          title={chosen ? `empty: the set's first candle (${dateTime(chosen.from)})` : undefined}
        />
        <FieldError error={errors.from} testId={`${prefix}-error-from`} />
      </label>
      <label className="lab-field">
        <span>To</span>
        <input
          type="datetime-local"
          value={values.to}
          onChange={(e) => onChange({ ...values, to: e.target.value })}
          data-testid={`${prefix}-to`}
          title={chosen ? `empty: the set's last candle (${dateTime(chosen.to)})` : undefined}
        />
        <FieldError error={errors.to} testId={`${prefix}-error-to`} />
      </label>
    </div>
  );
}

/** the form values of a lab run's config: the bot's config to start with */
export function useRunConfigValues(): [FormValues | null, (v: FormValues) => void, BotConfig | null] {
  const config = useDashboardStore('config', (s) => s.config);
  const [values, setValues] = useState<FormValues | null>(null);
  const current = config ? (({ version: _v, ...c }) => c as BotConfig)(config) : null;
  return [values ?? (current ? toFormValues(current) : null), setValues, current];
}

const strategySpec: FieldSpec = { key: 'strategy.name', label: 'Strategy', unit: '', kind: 'enum', options: strategyNames };
/** the market is the set's; the rest is the config editor's fields */
const runFieldSpecs = baseFieldSpecs.filter((s) => s.key !== 'symbol' && s.key !== 'timeframe');

/**
 * The config editor's own fields (config-form), starting from the bot's current config: a run sends only the keys
 * changed here, which are marked, as in the editor.
 */
export function ConfigOverrides({
  prefix,
  current,
  values,
  errors,
  onChange,
}: {
  prefix: string;
  current: BotConfig;
  values: FormValues;
  errors: Record<string, string>;
  onChange(values: FormValues): void;
}) {
  const initial = toFormValues(current);
  const changedCount = Object.keys(labOverrides(current, values).patch).length;
  const set = (key: string, value: string | boolean) => {
    if (key !== 'strategy.name' || value === values['strategy.name']) return onChange({ ...values, [key]: value });
    const next = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('strategy.params.')));
    for (const [k, d] of Object.entries(strategyDefaults(String(value)))) next[`strategy.params.${k}`] = String(d);
    onChange({ ...next, [key]: value });
  };
  const field = (spec: FieldSpec) => (
    <ConfigField
      key={spec.key}
      spec={spec}
      values={values}
      error={errors[spec.key]}
      changed={values[spec.key] !== initial[spec.key]}
      onChange={set}
    />
  );
  return (
    <details className="lab-overrides" data-testid={`${prefix}-overrides`} open={changedCount > 0 || undefined}>
      <summary>
        Config: {changedCount === 0 ? "the bot's current one" : `${changedCount} key${changedCount > 1 ? 's' : ''} changed from the bot's`}
      </summary>
      <div className="cfg-grid">
        {runFieldSpecs.map(field)}
        {field(strategySpec)}
        {strategyParamSpecs(String(values['strategy.name'])).map(field)}
      </div>
    </details>
  );
}

/** The end of a lab form: the form's one-line error, then its start button (busy while the start is on its way). */
export function StartButton({
  prefix,
  label,
  formError,
  busy,
}: {
  prefix: string;
  label: string;
  formError: string | null;
  busy: boolean;
}) {
  return (
    <>
      {formError && (
        <div className="form-error" role="alert" data-testid={`${prefix}-form-error`}>
          {formError}
        </div>
      )}
      <div className="row-actions">
        <button type="submit" className="btn-primary" disabled={busy} data-testid={`${prefix}-start`}>
          {busy ? 'Starting…' : label}
        </button>
      </div>
    </>
  );
}
