import type { ConfigPatch, Timeframe } from '../../../../src-shared/contract';
import { useDashboardStore } from '../../stores/dashboard-context';
import type { FormValues } from '../config/config-form';
import { labOverrides, parseRange } from './lab-runs';
import { ConfigOverrides, RangeFields, StartButton, useRunConfigValues, type RangeValues } from './RunFields';
import { useJobSubmit } from './use-job-submit';

export interface RunTarget {
  symbol: string;
  timeframe: Timeframe;
  from?: number;
  to?: number;
  config?: ConfigPatch;
}

/**
 * Set, range and config → the request of a lab run, or the errors of each field (named as the server names them).
 * Shared by the backtest and the sweep form.
 */
export function readRunForm(
  range: RangeValues,
  values: FormValues,
  current: Parameters<typeof labOverrides>[0],
): { target: RunTarget | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const [symbol, timeframe] = range.set.split(' ');
  if (!range.set) errors.set = 'choose a candle set (download one first)';
  const r = parseRange(range.from, range.to, { from: true, to: true });
  if (!r.ok) Object.assign(errors, r.errors);
  const o = labOverrides(current, values);
  Object.assign(errors, o.errors);
  if (Object.keys(errors).length || !r.ok) return { target: null, errors };
  const config = Object.keys(o.patch).length ? o.patch : undefined;
  return { target: { symbol, timeframe: timeframe as Timeframe, from: r.from, to: r.to, ...(config ? { config } : {}) }, errors };
}

/** One backtest of the bot's config (any key changed) over a kept range; the job shows in the list as it runs. */
export function BacktestForm({
  range,
  onRange,
  onStarted,
}: {
  range: RangeValues;
  onRange(r: RangeValues): void;
  onStarted(jobId: number): void;
}) {
  const backtest = useDashboardStore('lab', (s) => s.backtest);
  const [values, setValues, current] = useRunConfigValues();
  const { errors, formError, busy, start } = useJobSubmit(onStarted);
  if (!values || !current) return <div className="muted pad">Loading config…</div>;

  const submit = () => {
    const { target, errors: found } = readRunForm(range, values, current);
    return start(found, target && (() => backtest(target)));
  };

  return (
    <form
      className="lab-form"
      data-testid="backtest-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <RangeFields prefix="backtest" values={range} errors={errors} onChange={onRange} />
      <ConfigOverrides prefix="backtest" current={current} values={values} errors={errors} onChange={setValues} />
      <StartButton prefix="backtest" label="Run backtest" formError={formError} busy={busy} />
    </form>
  );
}
