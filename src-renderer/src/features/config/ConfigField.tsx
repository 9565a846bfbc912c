import type { FieldSpec, FormValues } from './config-form';

interface ConfigFieldProps {
  spec: FieldSpec;
  values: FormValues;
  error?: string;
  changed: boolean;
  onChange(key: string, value: string | boolean): void;
}

const testKey = (key: string) => key.replace(/\./g, '-');

/** One generated input: number with its range, select for enums, checkbox for booleans. */
export function ConfigField({ spec, values, error, changed, onChange }: ConfigFieldProps) {
  const id = `cfg-${testKey(spec.key)}`;
  const value = values[spec.key];
  const common = {
    id,
    'data-testid': `config-field-${testKey(spec.key)}`,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
  let input;
  if (spec.kind === 'boolean') {
    input = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(spec.key, e.target.checked)} />;
  } else if (spec.kind === 'enum') {
    input = (
      <select {...common} value={String(value ?? '')} onChange={(e) => onChange(spec.key, e.target.value)}>
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type="text"
        inputMode={spec.kind === 'number' ? 'decimal' : undefined}
        className={spec.kind === 'number' ? 'num' : undefined}
        value={String(value ?? '')}
        onChange={(e) => onChange(spec.key, e.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
    );
  }
  const range = spec.kind === 'number' && spec.min !== null && spec.max !== null ? `${spec.min}–${spec.max}` : '';
  return (
    <div className={`cfg-field ${error ? 'has-error' : ''} ${changed ? 'is-changed' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      <div className="cfg-input">
        {input}
        <span className="unit">{[spec.unit, range].filter(Boolean).join(' · ')}</span>
      </div>
      {error && (
        <div className="field-error" id={`${id}-error`} data-testid={`config-error-${testKey(spec.key)}`}>
          {error}
        </div>
      )}
    </div>
  );
}
