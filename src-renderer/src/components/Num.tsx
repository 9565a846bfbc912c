import { pnlClass } from './format';

interface NumProps {
  /** already formatted text */
  text: string;
  unit?: string;
  /** colour by sign (P&L) */
  signOf?: number | null;
  testId?: string;
  /** the exact figure, as data-value (tests compare it with the API's) */
  value?: number | null;
}

/** A right-aligned figure with its unit; P&L figures are green or red. */
export function Num({ text, unit, signOf, testId, value }: NumProps) {
  const cls = signOf === undefined ? 'num' : `num ${pnlClass(signOf)}`;
  return (
    <span className={cls} data-testid={testId} data-value={value ?? undefined}>
      {text}
      {unit && text !== '—' ? <span className="unit"> {unit}</span> : null}
    </span>
  );
}
