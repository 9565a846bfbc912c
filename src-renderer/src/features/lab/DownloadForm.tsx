import { useState } from 'react';
import { TIMEFRAMES, type Job } from '../../../../src-shared/contract';
import { Panel } from '../../components/Panel';
import { useDashboardStore } from '../../stores/dashboard-context';
import { parseRange } from './lab-runs';
import { useJobSubmit } from './use-job-submit';
import { FieldError } from './RunFields';

export function ProgressBar({ job, testId }: { job: Pick<Job, 'state' | 'progress'>; testId: string }) {
  const pct = Math.round(job.progress * 1000) / 10;
  return (
    <div
      className={`progress state-${job.state}`}
      data-testid={testId}
      data-progress={job.progress}
      data-state={job.state}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span className="progress-text num">{job.state === 'running' || job.state === 'queued' ? `${pct.toFixed(1)}%` : job.state}</span>
    </div>
  );
}

/** Fetch or extend a market's candles from the bot's exchange (public data, no keys); the bar follows `job` events. */
export function DownloadForm({ symbol: initialSymbol, timeframe: initialTf }: { symbol: string; timeframe: string }) {
  const download = useDashboardStore('lab', (s) => s.download);
  const [symbol, setSymbol] = useState(initialSymbol);
  const [timeframe, setTimeframe] = useState(initialTf || '1h');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [started, setStarted] = useState<number | null>(null);
  const { errors, formError, start } = useJobSubmit(setStarted);
  // the download this form started, else the newest one (a reload finds it running)
  const job = useDashboardStore('lab', (s) => s.jobs.find((j) => j.id === started) ?? s.jobs.find((j) => j.kind === 'download'));

  const submit = () => {
    const r = parseRange(from, to, { from: false, to: true });
    const found: Record<string, string> = r.ok ? {} : { ...r.errors };
    if (!/^[A-Z0-9]{2,15}\/[A-Z0-9]{2,15}$/.test(symbol.trim())) found.symbol = 'must look like BASE/QUOTE, e.g. BTC/USDT';
    const send = r.ok
      ? () =>
          download({
            symbol: symbol.trim(),
            timeframe: timeframe as (typeof TIMEFRAMES)[number],
            from: r.from as number,
            ...(r.to !== undefined ? { to: r.to } : {}),
          })
      : null;
    return start(found, send);
  };

  return (
    <Panel title="Download candles" testId="lab-download">
      <form
        className="lab-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="lab-fields">
          <label className="lab-field">
            <span>Symbol</span>
            <input
              type="text"
              value={symbol}
              onChange={(e) => setSymbol(e.target.value.toUpperCase())}
              placeholder="BTC/USDT"
              spellCheck={false}
              data-testid="download-symbol"
            />
            <FieldError error={errors.symbol} testId="download-error-symbol" />
          </label>
          <label className="lab-field lab-field-short">
            <span>Timeframe</span>
            <select value={timeframe} onChange={(e) => setTimeframe(e.target.value)} data-testid="download-timeframe">
              {TIMEFRAMES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label className="lab-field">
            <span>From</span>
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="download-from" />
            <FieldError error={errors.from} testId="download-error-from" />
          </label>
          <label className="lab-field">
            <span>To</span>
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="download-to" title="empty: now" />
            <FieldError error={errors.to} testId="download-error-to" />
          </label>
        </div>
        {formError && (
          <div className="form-error" role="alert" data-testid="download-form-error">
            {formError}
          </div>
        )}
        <div className="row-actions">
          {job && (
            <span className="download-job muted small">
              job {job.id}: {String(job.request.symbol ?? '')} {String(job.request.timeframe ?? '')}
              {job.error ? ` — ${job.error}` : ''}
            </span>
          )}
          {job && <ProgressBar job={job} testId="download-progress" />}
          <button type="submit" className="btn-primary" data-testid="download-start">
            Download
          </button>
        </div>
      </form>
    </Panel>
  );
}
