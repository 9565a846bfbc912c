import { useEffect, useMemo, useState } from 'react';
import type { VersionedConfig } from '../../../../src-shared/contract';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';
import { ConfigField } from './ConfigField';
import {
  baseFieldSpecs,
  checkForm,
  diffConfig,
  showValue,
  strategyDefaults,
  strategyNames,
  strategyParamSpecs,
  toFormValues,
  type Change,
  type FieldSpec,
  type FormValues,
} from './config-form';

const strategySpec: FieldSpec = { key: 'strategy.name', label: 'Strategy', unit: '', kind: 'enum', options: strategyNames };

function withoutVersion({ version: _v, ...config }: VersionedConfig) {
  return config;
}

/** Edit → review the diff → save with If-Match on the version the form was built from. */
export function ConfigEditor() {
  const { stores } = useDashboard();
  const config = useDashboardStore('config', (s) => s.config);
  const saving = useDashboardStore('config', (s) => s.saving);
  const save = useDashboardStore('config', (s) => s.save);
  const [base, setBase] = useState<VersionedConfig | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [review, setReview] = useState<{ changes: Change[]; patch: object } | null>(null);
  /** the confirmation of the last save, shown while that version is still the current one */
  const [saved, setSaved] = useState<{ version: number; text: string } | null>(null);
  /** the form holds a config proposed from elsewhere (a lab run): its save names that source in the history */
  const [source, setSource] = useState<string | null>(null);
  const proposal = useDashboardStore('config', (s) => s.proposal);

  const reset = (c: VersionedConfig) => {
    setBase(c);
    setValues(toFormValues(c));
    setErrors({});
    setFormError(null);
    setReview(null);
    setSource(null);
  };
  const dirty = useMemo(() => base !== null && JSON.stringify(values) !== JSON.stringify(toFormValues(base)), [base, values]);

  // follow the server while the user has no edits of their own
  useEffect(() => {
    if (config && (!base || (!dirty && config.version !== base.version))) reset(config);
  }, [config]); // eslint-disable-line react-hooks/exhaustive-deps

  // a proposal is taken once: the form shows it over the current config, straight at its diff
  useEffect(() => {
    if (!proposal || !config) return;
    stores.config.getState().propose(null);
    const proposed = toFormValues(proposal.config);
    setBase(config);
    setValues(proposed);
    setSaved(null);
    setSource(proposal.source);
    reviewValues(config, proposed);
  }, [proposal, config]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!config || !base)
    return (
      <Panel title="Config" testId="config-editor">
        <div className="muted pad">Loading config…</div>
      </Panel>
    );

  const onChange = (key: string, value: string | boolean) => {
    setSaved(null);
    setReview(null);
    setErrors(({ [key]: _gone, ...rest }) => rest);
    setValues((v) => {
      if (key !== 'strategy.name' || value === v['strategy.name']) return { ...v, [key]: value };
      // a different strategy brings its own params, starting from their defaults
      const next = Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('strategy.params.')));
      for (const [k, d] of Object.entries(strategyDefaults(String(value)))) next[`strategy.params.${k}`] = String(d);
      return { ...next, [key]: value };
    });
  };

  function reviewValues(from: VersionedConfig, form: FormValues) {
    const check = checkForm(form);
    setErrors(check.errors);
    if (!check.config) {
      setFormError('Fix the highlighted fields; nothing was sent.');
      setReview(null);
      return;
    }
    const diff = diffConfig(withoutVersion(from), check.config);
    if (!diff.changes.length) {
      setFormError('Nothing to save: the form matches the current config.');
      setReview(null);
      return;
    }
    setFormError(null);
    setReview(diff);
  }
  const onReview = () => {
    setSaved(null);
    reviewValues(base, values);
  };

  const onSave = async () => {
    if (!review) return;
    const outcome = await save(review.patch, base.version, source ?? undefined);
    if (outcome.ok) {
      setSaved({ version: outcome.version, text: `Saved as version ${outcome.version}; the bot uses it from its next cycle.` });
      const latest = stores.config.getState().config;
      if (latest) reset(latest);
      return;
    }
    setReview(null);
    setErrors(outcome.fields);
    const conflict = outcome.status === 409 ? ' Reload to start from the current config.' : '';
    setFormError(`Not saved: ${outcome.message}${conflict}`);
  };

  const paramSpecs = strategyParamSpecs(String(values['strategy.name']));
  const initial = toFormValues(base);
  const field = (spec: FieldSpec) => (
    <ConfigField
      key={spec.key}
      spec={spec}
      values={values}
      error={errors[spec.key]}
      changed={values[spec.key] !== initial[spec.key]}
      onChange={onChange}
    />
  );
  const known = new Set([...baseFieldSpecs, strategySpec, ...paramSpecs].map((s) => s.key));
  const otherErrors = Object.entries(errors).filter(([k]) => !known.has(k));
  const behind = config.version !== base.version;

  return (
    <Panel
      title="Config"
      testId="config-editor"
      className="config-panel"
      aside={
        <span className="muted num" data-testid="config-version">
          editing v{base.version}
        </span>
      }
    >
      {source && (
        <div className="banner info" data-testid="config-proposal">
          Proposed from {source}. Review the change below; the history will name this source.
        </div>
      )}
      {behind && (
        <div className="banner warn" data-testid="config-behind">
          The config moved on to v{config.version} since you started editing.{' '}
          <button type="button" className="btn-small" onClick={() => reset(config)}>
            Reload (discard my edits)
          </button>
        </div>
      )}
      <form
        className="cfg-form"
        onSubmit={(e) => {
          e.preventDefault();
          onReview();
        }}
      >
        <div className="cfg-grid">{baseFieldSpecs.map(field)}</div>
        <h3 className="cfg-sub">Strategy</h3>
        <div className="cfg-grid">
          {field(strategySpec)}
          {paramSpecs.map(field)}
        </div>
        {otherErrors.length > 0 && (
          <ul className="field-error" data-testid="config-other-errors">
            {otherErrors.map(([k, why]) => (
              <li key={k}>
                {k}: {why}
              </li>
            ))}
          </ul>
        )}
        {formError && (
          <div className="form-error" data-testid="config-form-error" role="alert">
            {formError}
          </div>
        )}
        {saved && saved.version === config.version && (
          <div className="form-ok" data-testid="config-saved" role="status">
            {saved.text}
          </div>
        )}

        {review ? (
          <div className="cfg-review" data-testid="config-diff">
            <h3 className="cfg-sub">Will change (v{base.version} → new version)</h3>
            <table className="grid diff">
              <tbody>
                {review.changes.map((c) => (
                  <tr key={c.field} data-testid="config-diff-row">
                    <td>{c.field}</td>
                    <td className="r num down-soft">{showValue(c.from)}</td>
                    <td className="muted">→</td>
                    <td className="num up-soft">{showValue(c.to)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row-actions">
              <button type="button" onClick={() => setReview(null)}>
                Back
              </button>
              <button type="button" className="btn-primary" data-testid="config-save" disabled={saving} onClick={() => void onSave()}>
                {saving ? 'Saving…' : `Save ${review.changes.length} change${review.changes.length > 1 ? 's' : ''}`}
              </button>
            </div>
          </div>
        ) : (
          <div className="row-actions">
            <button type="button" disabled={!dirty} onClick={() => reset(config)} data-testid="config-discard">
              Discard edits
            </button>
            <button type="submit" className="btn-primary" data-testid="config-review">
              Review changes…
            </button>
          </div>
        )}
      </form>
    </Panel>
  );
}
