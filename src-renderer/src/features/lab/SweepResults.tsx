import { useMemo, useState } from 'react';
import type { BotConfig, Job, SweepResult } from '../../../../src-shared/contract';
import { dateTime, pct } from '../../components/format';
import { useDashboardStore } from '../../stores/dashboard-context';
import { proposedConfig, requestPatch, runSource, withParams, type RunRequest } from './lab-runs';
import {
  heatColor,
  heatMap,
  METRIC_LABELS,
  METRICS,
  metricOf,
  nextSort,
  SAMPLES,
  sortRuns,
  variedKeys,
  type Metric,
  type Sample,
  type SortKey,
  type SweepRun,
} from './sweep-results';

const SAMPLE_LABELS: Record<Sample, string> = { in_sample: 'In sample (ranked)', out_of_sample: 'Out of sample' };
const shortKey = (k: string) => k.replace(/^strategy\.params\./, '');

function showMetric(v: number | null, metric: Metric): string {
  if (v === null) return '—';
  if (v === Infinity) return '∞';
  if (metric === 'trades') return String(v);
  if (metric === 'profit_factor') return v.toFixed(2);
  return metric === 'profit' ? `${v > 0 ? '+' : ''}${v.toFixed(2)}%` : pct(v);
}

const metricClass = (v: number | null, metric: Metric) => (metric !== 'profit' || v === null || v === 0 ? '' : v > 0 ? 'up' : 'down');

type RankedRun = SweepRun & { rank: number };

/** One grid of a metric over the two varied keys, for one sample. */
function HeatGrid({ runs, keys, sample, metric }: { runs: RankedRun[]; keys: [string, string]; sample: Sample; metric: Metric }) {
  const map = useMemo(() => heatMap(runs, keys[0], keys[1], sample, metric), [runs, keys, sample, metric]);
  return (
    <figure className="heat" data-testid={`heat-${sample}`}>
      <figcaption className="muted">{SAMPLE_LABELS[sample]}</figcaption>
      <table className="heat-grid">
        <thead>
          <tr>
            <th className="muted small">
              {shortKey(keys[1])} ↓ · {shortKey(keys[0])} →
            </th>
            {map.x.labels.map((l) => (
              <th key={l} className="num">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {map.y.labels.map((yl, i) => (
            <tr key={yl}>
              <th className="num">{yl}</th>
              {map.cells[i].map((v, j) => (
                <td
                  key={j}
                  className="num heat-cell"
                  style={{ background: heatColor(v, map, metric) }}
                  data-testid="heat-cell"
                  title={`${shortKey(keys[0])} ${map.x.labels[j]}, ${shortKey(keys[1])} ${yl}: ${showMetric(v, metric)} (${map.counts[i][j]} run${map.counts[i][j] === 1 ? '' : 's'})`}
                >
                  {showMetric(v, metric)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * A sweep's runs: in-sample and out-of-sample figures side by side, sortable by any of them, so a winner that does not
 * hold on the data it was not picked on shows at once; a heat map when exactly two keys varied.
 */
export function SweepResults({
  job,
  current,
  onApply,
  onCompare,
}: {
  job: Job & { result: SweepResult };
  current: BotConfig;
  onApply(config: BotConfig, source: string): void;
  onCompare(request: RunRequest): void;
}) {
  const result = job.result;
  const ranked = useMemo<RankedRun[]>(() => result.runs.map((r, i) => ({ ...r, rank: i + 1 })), [result]);
  const [sort, setSort] = useState<SortKey>({ sample: 'in_sample', metric: 'profit', bestFirst: true });
  const [heatMetric, setHeatMetric] = useState<Metric>('profit');
  const busy = useDashboardStore('config', (s) => s.saving);
  const rows = useMemo(() => sortRuns(ranked, sort), [ranked, sort]);
  const keys = variedKeys(result.runs);
  const request = job.request as RunRequest;
  const configOf = (run: SweepRun) => withParams(current, requestPatch(request), run.params);

  const header = (sample: Sample, metric: Metric) => {
    const active = sort.sample === sample && sort.metric === metric;
    return (
      <th key={`${sample}-${metric}`} className={`r ${sample === 'out_of_sample' ? 'oos' : ''}`}>
        <button
          type="button"
          className={`sort ${active ? 'is-sorted' : ''}`}
          onClick={() => setSort(nextSort(sort, sample, metric))}
          data-testid={`sort-${sample}-${metric}`}
          aria-sort={active ? (sort.bestFirst ? 'descending' : 'ascending') : undefined}
        >
          {METRIC_LABELS[metric]}
          {active ? (sort.bestFirst ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };

  return (
    <div className="sweep-results" data-testid="sweep-results" data-runs={result.runs.length}>
      <div className="muted small sweep-ranges">
        ranked on {dateTime(result.in_sample.from).slice(0, 16)} → {dateTime(result.in_sample.to).slice(0, 16)}
        {result.out_of_sample
          ? `; shown again on ${dateTime(result.out_of_sample.from).slice(0, 16)} → ${dateTime(result.out_of_sample.to).slice(0, 16)}`
          : '; no out-of-sample part'}
        {result.skipped.length > 0 && ` · ${result.skipped.length} combination(s) skipped: ${result.skipped[0].reason}`}
      </div>
      <div className="table-wrap sweep-table-wrap">
        <table className="grid sweep-table">
          <thead>
            <tr>
              <th colSpan={2 + keys.length} />
              {SAMPLES.map((s) => (
                <th key={s} colSpan={METRICS.length} className={`group ${s === 'out_of_sample' ? 'oos' : ''}`}>
                  {SAMPLE_LABELS[s]}
                </th>
              ))}
            </tr>
            <tr>
              <th />
              <th className="r">#</th>
              {keys.map((k) => (
                <th key={k} className="r">
                  {shortKey(k)}
                </th>
              ))}
              {SAMPLES.flatMap((s) => METRICS.map((m) => header(s, m)))}
            </tr>
          </thead>
          <tbody>
            {rows.map((run) => (
              <tr key={run.rank} data-testid="sweep-run" data-rank={run.rank} data-params={JSON.stringify(run.params)}>
                <td className="row-buttons">
                  <button
                    type="button"
                    className="btn-small"
                    onClick={() => onCompare({ ...request, config: configOf(run) })}
                    data-testid="sweep-run-compare"
                    title="Backtest this run over the whole range and compare it with the bot's current config"
                  >
                    Compare
                  </button>
                  <button
                    type="button"
                    className="btn-small"
                    disabled={busy}
                    onClick={() =>
                      onApply(
                        proposedConfig(current, configOf(run)),
                        runSource({ kind: 'sweep', jobId: job.id, rank: run.rank, params: run.params }),
                      )
                    }
                    data-testid="sweep-run-apply"
                  >
                    Apply…
                  </button>
                </td>
                <td className="r num muted">{run.rank}</td>
                {keys.map((k) => (
                  <td key={k} className="r num">
                    {String(run.params[k])}
                  </td>
                ))}
                {SAMPLES.flatMap((s) =>
                  METRICS.map((m) => {
                    const v = metricOf(run[s], m);
                    return (
                      <td
                        key={`${s}-${m}`}
                        className={`r num ${metricClass(v, m)} ${s === 'out_of_sample' ? 'oos' : ''}`}
                        data-testid={`cell-${s}-${m}`}
                        data-value={v ?? undefined}
                      >
                        {showMetric(v, m)}
                      </td>
                    );
                  }),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {keys.length === 2 && (
        <div className="heat-maps" data-testid="heat-map">
          <div className="heat-controls">
            <span className="muted">Heat map of</span>
            <select value={heatMetric} onChange={(e) => setHeatMetric(e.target.value as Metric)} data-testid="heat-metric">
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {METRIC_LABELS[m]}
                </option>
              ))}
            </select>
          </div>
          <div className="heat-pair">
            {SAMPLES.map((s) => (
              <HeatGrid key={s} runs={ranked} keys={keys as [string, string]} sample={s} metric={heatMetric} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
