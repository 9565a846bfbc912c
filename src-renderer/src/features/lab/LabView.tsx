import { useEffect, useState } from 'react';
import type { BacktestResultData, BotConfig, DownloadResult, Job, SweepResult, Timeframe } from '../../../../src-shared/contract';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';
import { Tabs } from '../layout/Tabs';
import { BacktestForm } from './BacktestForm';
import { DownloadForm } from './DownloadForm';
import { HistorySets, setKey } from './HistorySets';
import { jobTitle, JobsList } from './JobsList';
import type { RunRequest } from './lab-runs';
import { RunCompare } from './RunCompare';
import type { RangeValues } from './RunFields';
import { SweepForm } from './SweepForm';
import { SweepResults } from './SweepResults';

const isBacktest = (j: Job): j is Job & { result: BacktestResultData } => j.kind === 'backtest' && !!j.result && 'stats' in j.result;
const isSweep = (j: Job): j is Job & { result: SweepResult } => j.kind === 'sweep' && !!j.result && 'runs' in j.result;

/** The open job's results: a backtest beside the current config, a sweep's table, or why there are none. */
function JobResults({ current, onApply }: { current: BotConfig; onApply(config: BotConfig, source: string): void }) {
  const { report } = useDashboard();
  const openJob = useDashboardStore('lab', (s) => s.openJob);
  const job = useDashboardStore('lab', (s) =>
    s.openJob === null ? undefined : (s.results[s.openJob] ?? s.jobs.find((j) => j.id === s.openJob)),
  );
  const backtest = useDashboardStore('lab', (s) => s.backtest);
  const open = useDashboardStore('lab', (s) => s.open);

  // a sweep run compared: backtested whole over the sweep's range (its equity and trades), then shown beside the current config
  const compareRun = async (r: RunRequest) => {
    const outcome = await backtest({
      symbol: String(r.symbol),
      timeframe: r.timeframe as Timeframe,
      ...(typeof r.from === 'number' ? { from: r.from } : {}),
      ...(typeof r.to === 'number' ? { to: r.to } : {}),
      config: r.config as never,
    });
    if (outcome.ok) open(outcome.job.id);
    else report(new Error(`Not started: ${outcome.message}`));
  };

  let body;
  if (openJob === null || !job) body = <div className="empty">Pick a finished backtest or sweep in the jobs list to see its results.</div>;
  else if (job.state === 'failed' || job.state === 'cancelled')
    body = (
      <div className="form-error" data-testid="lab-result-error">
        Job {job.id} {job.state}: {job.error ?? 'no reason given'}
      </div>
    );
  else if (job.state !== 'done')
    body = (
      <div className="muted pad">
        Job {job.id} is {job.state}; its results show here when it is done.
      </div>
    );
  else if (isBacktest(job)) body = <RunCompare job={job} current={current} onApply={onApply} />;
  else if (isSweep(job)) body = <SweepResults job={job} current={current} onApply={onApply} onCompare={(r) => void compareRun(r)} />;
  else if (job.kind === 'download' && job.result) {
    const r = job.result as DownloadResult;
    body = (
      <div className="pad">
        {r.added} candles added in {r.requests} requests.
      </div>
    );
  } else body = <div className="muted pad">Loading the results…</div>;

  return (
    <Panel
      title={job ? `Results · #${job.id} ${job.kind}` : 'Results'}
      testId="lab-results"
      className="lab-results"
      aside={job && <span className="muted">{jobTitle(job)}</span>}
    >
      {body}
    </Panel>
  );
}

/**
 * The strategy lab (docs/contract.md §11): kept candle sets, downloads, backtests and sweeps run as jobs on the bot's
 * server, and their results beside the bot's current config. Everything shown is re-read from the server, so a reload
 * or a reconnect finds running jobs and finished results as they are.
 */
export function LabView({ onApply }: { onApply(config: BotConfig, source: string): void }) {
  const { report } = useDashboard();
  const load = useDashboardStore('lab', (s) => s.load);
  const loaded = useDashboardStore('lab', (s) => s.loaded);
  const open = useDashboardStore('lab', (s) => s.open);
  const config = useDashboardStore('config', (s) => s.config);
  const status = useDashboardStore('status', (s) => s.status);
  const [range, setRange] = useState<RangeValues>({ set: '', from: '', to: '' });
  const sets = useDashboardStore('lab', (s) => s.sets);

  useEffect(() => {
    load().catch(report);
  }, [load, report]);
  // the first set the forms point at: the bot's own market when it is kept, else the first one
  useEffect(() => {
    if (range.set || !sets.length) return;
    const own = sets.find((s) => s.symbol === status?.symbol && s.timeframe === status?.timeframe) ?? sets[0];
    setRange((r) => ({ ...r, set: setKey(own) }));
  }, [sets, status, range.set]);

  const current = config ? (({ version: _v, ...c }) => c as BotConfig)(config) : null;
  return (
    <main className="lab" data-testid="lab" data-loaded={loaded}>
      <aside className="lab-side">
        <HistorySets chosen={range.set} onChoose={(s) => setRange({ set: setKey(s), from: '', to: '' })} />
        {/* keyed by the bot's market: the form starts on it once the status is known (a reload mounts it before) */}
        <DownloadForm key={`${status?.symbol} ${status?.timeframe}`} symbol={status?.symbol ?? ''} timeframe={status?.timeframe ?? '1h'} />
        <JobsList />
      </aside>
      <div className="lab-main">
        <Panel title="Run" testId="lab-run">
          <Tabs
            tabs={[
              { id: 'backtest', label: 'Backtest', render: () => <BacktestForm range={range} onRange={setRange} onStarted={open} /> },
              { id: 'sweep', label: 'Sweep', render: () => <SweepForm range={range} onRange={setRange} onStarted={open} /> },
            ]}
          />
        </Panel>
        {current ? <JobResults current={current} onApply={onApply} /> : <div className="muted pad">Loading config…</div>}
      </div>
    </main>
  );
}
