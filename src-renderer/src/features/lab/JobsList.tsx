import { FINISHED_JOB_STATES, type Job } from '../../../../src-shared/contract';
import { dateTime } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';
import { ProgressBar } from './DownloadForm';
import { marketOf } from './lab-runs';

/** what a job works on, in a few words */
export function jobTitle(job: Job): string {
  const r = job.request as Record<string, unknown>;
  const keys = job.kind === 'sweep' && r.vary && typeof r.vary === 'object' ? Object.keys(r.vary) : [];
  const changed = r.config && typeof r.config === 'object' ? Object.keys(r.config).length : 0;
  const what =
    job.kind === 'sweep'
      ? `vary ${keys.map((k) => k.replace(/^strategy\.params\./, '')).join(', ')}`
      : job.kind === 'backtest'
        ? changed
          ? `${changed} key${changed > 1 ? 's' : ''} changed`
          : 'current config'
        : 'download';
  return `${marketOf(r)} · ${what}`;
}

/** Every lab job, newest first: state, progress, cancel; a click opens its results. */
export function JobsList() {
  const { report } = useDashboard();
  const jobs = useDashboardStore('lab', (s) => s.jobs);
  const openJob = useDashboardStore('lab', (s) => s.openJob);
  const open = useDashboardStore('lab', (s) => s.open);
  const cancel = useDashboardStore('lab', (s) => s.cancel);

  const onCancel = async (job: Job) => {
    const outcome = await cancel(job.id);
    if (!outcome.ok) report(new Error(`Not cancelled: ${outcome.message}`));
  };

  return (
    <Panel title="Jobs" testId="lab-jobs" aside={<span className="muted">{jobs.length}</span>}>
      {jobs.length === 0 ? (
        <div className="empty">No jobs yet.</div>
      ) : (
        <ol className="job-list">
          {jobs.map((job) => (
            <li
              key={job.id}
              data-testid="lab-job"
              data-id={job.id}
              data-kind={job.kind}
              data-state={job.state}
              className={job.id === openJob ? 'is-open' : ''}
            >
              <button
                type="button"
                className="job-open"
                onClick={() => open(job.id)}
                data-testid="lab-job-open"
                disabled={job.kind === 'download'}
              >
                <span className="num muted">#{job.id}</span> <span className={`job-kind kind-${job.kind}`}>{job.kind}</span>{' '}
                <span className="job-title">{jobTitle(job)}</span>
              </button>
              <div className="job-line">
                <ProgressBar job={job} testId="lab-job-progress" />
                <span className="muted num small">{dateTime(job.created_at).slice(5, 16)}</span>
                {!FINISHED_JOB_STATES.includes(job.state) && (
                  <button type="button" className="btn-small" onClick={() => void onCancel(job)} data-testid="lab-job-cancel">
                    Cancel
                  </button>
                )}
              </div>
              {job.error && job.state !== 'done' && <div className="field-error small">{job.error}</div>}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
