import { useEffect, useMemo, useState } from 'react';
import type { BacktestResultData, BotConfig, Job, Stats, Timeframe } from '../../../../src-shared/contract';
import { money, pct, signedMoney } from '../../components/format';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';
import { runCandlesKey } from '../../stores/lab.store';
import { showValue } from '../config/config-form';
import { BASELINE_COLOR, CompareEquityChart, RunPriceChart } from './CompareCharts';
import { ProgressBar } from './DownloadForm';
import { differingKeys, marketOf, proposedConfig, requestPatch, runSource, sameCandles, type RunRequest } from './lab-runs';
import { profitPct } from './sweep-results';

type DoneBacktest = Job & { result: BacktestResultData };

const ROWS: { label: string; value(s: Stats): string; sign?(s: Stats): number }[] = [
  { label: 'Net profit', value: (s) => signedMoney(s.equity - s.start_equity), sign: (s) => s.equity - s.start_equity },
  { label: 'Profit %', value: (s) => `${profitPct(s) > 0 ? '+' : ''}${profitPct(s).toFixed(2)}%`, sign: (s) => profitPct(s) },
  { label: 'Final equity', value: (s) => money(s.equity) },
  { label: 'Max drawdown', value: (s) => pct(s.max_drawdown_pct) },
  { label: 'Profit factor', value: (s) => (s.profit_factor === null ? (s.trades_count ? '∞' : '—') : s.profit_factor.toFixed(2)) },
  { label: 'Win rate', value: (s) => pct(s.win_rate * 100, 1) },
  { label: 'Trades', value: (s) => String(s.trades_count) },
  { label: 'Fees', value: (s) => money(s.fees_paid) },
];

const signClass = (n: number | undefined) => (n === undefined || n === 0 ? '' : n > 0 ? 'up' : 'down');

/** the bot's current config on the same candles: a finished backtest of it, or one under way */
function useBaseline(job: DoneBacktest, current: BotConfig) {
  const jobs = useDashboardStore('lab', (s) => s.jobs);
  const results = useDashboardStore('lab', (s) => s.results);
  const loadResult = useDashboardStore('lab', (s) => s.loadResult);
  const request = job.request as RunRequest;
  const candidates = useMemo(
    () =>
      jobs.filter(
        (j) =>
          j.kind === 'backtest' && j.id !== job.id && sameCandles(j.request, request) && Object.keys(requestPatch(j.request)).length === 0,
      ),
    [jobs, job.id, request],
  );
  useEffect(() => {
    for (const c of candidates) if (c.state === 'done' && !results[c.id]) void loadResult(c.id).catch(() => undefined);
  }, [candidates, results, loadResult]);
  const done = candidates
    .map((c) => results[c.id])
    .find((r): r is DoneBacktest => !!r?.result && 'stats' in r.result && differingKeys(current, r.result.config).length === 0);
  const pending = candidates.find((c) => c.state === 'queued' || c.state === 'running');
  return { baseline: done ?? null, pending: pending ?? null };
}

/**
 * A finished backtest beside the bot's current config on the same candles: equity curves overlaid, figures side by
 * side, the run's trades on its candles; and "apply to the bot", which opens the config editor on the run's config.
 */
export function RunCompare({
  job,
  current,
  onApply,
}: {
  job: DoneBacktest;
  current: BotConfig;
  onApply(config: BotConfig, source: string): void;
}) {
  const { report } = useDashboard();
  const request = job.request as RunRequest;
  const result = job.result;
  const proposed = proposedConfig(current, requestPatch(request));
  const changed = differingKeys(current, proposed);
  const isCurrent = differingKeys(current, result.config).length === 0;
  const { baseline, pending } = useBaseline(job, current);
  const backtest = useDashboardStore('lab', (s) => s.backtest);
  const loadCandles = useDashboardStore('lab', (s) => s.loadCandles);
  const range = useMemo(
    () => ({
      symbol: String(request.symbol),
      timeframe: request.timeframe as Timeframe,
      from: typeof request.from === 'number' ? request.from : undefined,
      to: typeof request.to === 'number' ? request.to : undefined,
    }),
    [request],
  );
  const bars = useDashboardStore('lab', (s) => s.candles[runCandlesKey(range)]);
  const [candleError, setCandleError] = useState<string | null>(null);
  useEffect(() => {
    loadCandles(range).catch((e: Error) => setCandleError(e.message));
  }, [range, loadCandles]);

  const runBaseline = async () => {
    const outcome = await backtest({ symbol: range.symbol, timeframe: range.timeframe, from: range.from, to: range.to });
    if (!outcome.ok) report(new Error(`The current config was not backtested: ${outcome.message}`));
  };
  const other = baseline?.result.stats ?? null;

  return (
    <div className="compare" data-testid="run-compare" data-job={job.id} data-baseline={baseline?.id ?? ''}>
      <div className="compare-head">
        <div>
          <span className="compare-key run-key" /> run #{job.id} · {marketOf(request)}{' '}
          {changed.length ? (
            <span className="muted" data-testid="compare-changed">
              {changed
                .map(
                  (k) => `${k.replace(/^strategy\.params\./, '')} ${showValue(keyValue(current, k))} → ${showValue(keyValue(proposed, k))}`,
                )
                .join(', ')}
            </span>
          ) : (
            <span className="muted">the bot's current config</span>
          )}
        </div>
        <div>
          <span className="compare-key" style={{ background: BASELINE_COLOR }} /> current config{' '}
          {isCurrent ? (
            <span className="muted">(this run)</span>
          ) : baseline ? (
            <span className="muted">#{baseline.id}</span>
          ) : pending ? (
            <ProgressBar job={pending} testId="compare-baseline-progress" />
          ) : (
            <button type="button" className="btn-small" onClick={() => void runBaseline()} data-testid="compare-run-baseline">
              Backtest it on these candles
            </button>
          )}
        </div>
        <span className="spacer" />
        {!isCurrent && changed.length > 0 && (
          <button
            type="button"
            className="btn-primary"
            onClick={() => onApply(proposed, runSource({ kind: 'backtest', jobId: job.id }))}
            data-testid="compare-apply"
          >
            Apply to the bot…
          </button>
        )}
      </div>
      <div className="compare-body">
        <table className="grid compare-stats" data-testid="compare-stats">
          <thead>
            <tr>
              <th />
              <th className="r">Run #{job.id}</th>
              <th className="r">Current config</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label} data-testid="compare-row" data-label={row.label}>
                <td className="muted">{row.label}</td>
                <td className={`r num ${signClass(row.sign?.(result.stats))}`} data-testid="compare-run-value">
                  {row.value(result.stats)}
                </td>
                <td className={`r num ${other ? signClass(row.sign?.(other)) : ''}`} data-testid="compare-baseline-value">
                  {isCurrent ? row.value(result.stats) : other ? row.value(other) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="compare-charts">
          <CompareEquityChart run={result.equity} baseline={isCurrent ? null : (baseline?.result.equity ?? null)} />
          {bars ? (
            <RunPriceChart candles={bars.candles} trades={result.trades} barMs={bars.barMs} />
          ) : (
            <div className="muted pad">{candleError ? `Candles not shown: ${candleError}` : 'Loading candles…'}</div>
          )}
        </div>
      </div>
    </div>
  );
}

function keyValue(config: BotConfig, key: string): unknown {
  if (key === 'strategy.name') return config.strategy.name;
  if (key.startsWith('strategy.params.')) return (config.strategy.params as Record<string, unknown>)[key.slice('strategy.params.'.length)];
  return (config as Record<string, unknown>)[key];
}
