import { useState } from 'react';
import { useDashboardStore } from '../../stores/dashboard-context';
import { baseFieldSpecs, strategyParamSpecs } from '../config/config-form';
import { readRunForm } from './BacktestForm';
import { ConfigOverrides, FieldError, RangeFields, StartButton, useRunConfigValues, type RangeValues } from './RunFields';
import { checkVary, MAX_SWEEP_KEYS, type VaryRow } from './sweep-input';
import { useJobSubmit } from './use-job-submit';

const emptyRow = (key: string): VaryRow => ({ key, mode: 'list', list: '', from: '', to: '', step: '' });

/**
 * Up to three keys (config keys or strategy params) over lists or ranges; every combination runs, ranked on the first
 * part of the range and shown again on the last `out of sample %` (docs/contract.md §11).
 */
export function SweepForm({
  range,
  onRange,
  onStarted,
}: {
  range: RangeValues;
  onRange(r: RangeValues): void;
  onStarted(id: number): void;
}) {
  const sweep = useDashboardStore('lab', (s) => s.sweep);
  const [values, setValues, current] = useRunConfigValues();
  const [rows, setRows] = useState<VaryRow[]>([{ ...emptyRow('stop_loss_pct'), list: '1, 1.5, 2' }]);
  const [oos, setOos] = useState('30');
  const { errors, formError, busy, start } = useJobSubmit(onStarted);
  if (!values || !current) return <div className="muted pad">Loading config…</div>;

  // the numbers a sweep can vary: the config's, and the params of the strategy the run uses
  const keys = [...baseFieldSpecs, ...strategyParamSpecs(String(values['strategy.name']))].filter((s) => s.kind === 'number');
  const vary = checkVary(rows);
  const setRow = (i: number, patch: Partial<VaryRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = () => {
    const { target, errors: found } = readRunForm(range, values, current);
    const all = { ...found, ...(vary.ok ? {} : vary.errors) };
    const pct = Number(oos);
    if (oos.trim() === '' || !Number.isFinite(pct) || pct < 0 || pct > 90) all.out_of_sample_pct = 'must be a number from 0 to 90';
    return start(all, target && vary.ok ? () => sweep({ ...target, vary: vary.vary, out_of_sample_pct: pct }) : null);
  };

  return (
    <form
      className="lab-form"
      data-testid="sweep-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <RangeFields prefix="sweep" values={range} errors={errors} onChange={onRange} />
      <div className="vary-rows">
        {rows.map((row, i) => {
          const at = (f: string) => errors[`vary.${row.key}.${f}`];
          return (
            <div className="vary-row" key={i} data-testid="sweep-row">
              <select
                value={row.key}
                onChange={(e) => setRow(i, { key: e.target.value })}
                data-testid={`sweep-key-${i}`}
                aria-label="Key to vary"
              >
                {keys.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.key.replace(/^strategy\.params\./, 'strategy: ')}
                  </option>
                ))}
              </select>
              <select
                value={row.mode}
                onChange={(e) => setRow(i, { mode: e.target.value as VaryRow['mode'] })}
                data-testid={`sweep-mode-${i}`}
                aria-label="Values as"
              >
                <option value="list">values</option>
                <option value="range">from / to / step</option>
              </select>
              {row.mode === 'list' ? (
                <input
                  type="text"
                  className="num"
                  value={row.list}
                  placeholder="1, 1.5, 2"
                  onChange={(e) => setRow(i, { list: e.target.value })}
                  data-testid={`sweep-list-${i}`}
                  aria-label="Values"
                />
              ) : (
                (['from', 'to', 'step'] as const).map((f) => (
                  <input
                    key={f}
                    type="text"
                    className="num vary-num"
                    value={row[f]}
                    placeholder={f}
                    onChange={(e) => setRow(i, { [f]: e.target.value })}
                    data-testid={`sweep-${f}-${i}`}
                    aria-label={f}
                  />
                ))
              )}
              <button type="button" className="btn-small" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label="Remove key">
                ✕
              </button>
              <FieldError
                error={at('list') ?? at('from') ?? at('to') ?? at('step') ?? errors[`vary.${row.key}`]}
                testId={`sweep-error-${i}`}
              />
            </div>
          );
        })}
        <div className="vary-foot">
          <button
            type="button"
            className="btn-small"
            disabled={rows.length >= MAX_SWEEP_KEYS}
            onClick={() => setRows([...rows, emptyRow(keys.find((k) => !rows.some((r) => r.key === k.key))?.key ?? '')])}
            data-testid="sweep-add-key"
          >
            + key
          </button>
          <span className="muted num" data-testid="sweep-run-count">
            {vary.runs === null ? '—' : `${vary.runs.toLocaleString('en-US')} run${vary.runs === 1 ? '' : 's'}`}
          </span>
          <label className="inline-field">
            out of sample{' '}
            <input
              type="text"
              className="num vary-num"
              value={oos}
              onChange={(e) => setOos(e.target.value)}
              data-testid="sweep-oos"
              aria-label="Out of sample %"
            />{' '}
            %
          </label>
        </div>
        <FieldError error={errors.vary ?? (!vary.ok ? vary.errors.vary : undefined)} testId="sweep-error-vary" />
        <FieldError error={errors.out_of_sample_pct} testId="sweep-error-oos" />
      </div>
      <ConfigOverrides prefix="sweep" current={current} values={values} errors={errors} onChange={setValues} />
      <StartButton prefix="sweep" label="Run sweep" formError={formError} busy={busy} />
    </form>
  );
}
