import { pnlClass } from './format';

interface NumProps {
  /** already formatted text */
  text: string;
  unit?: string;
  /** colour by sign (P&L) */
  signOf?: number | null;
  testId?: string;
}

/** A right-aligned figure with its unit; P&L figures are green or red. */
export function Num({ text, unit, signOf, testId }: NumProps) {
  const cls = signOf === undefined ? 'num' : `num ${pnlClass(signOf)}`;
  return (
    <span className={cls} data-testid={testId}>
      {text}
      {unit && text !== '—' ? <span className="unit"> {unit}</span> : null}
    </span>
  );
}
