/** How a person reads the strategy lab's answers (docs/contract.md §11): candle sets, jobs, a backtest, a sweep table. */
import type { HistorySet, Job, Stats, SweepResult } from '../../../src-shared/contract';
import { formatStats } from './format';
import { dateTime, pairs, pct, plain, signed, table } from './text';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function formatHistory(r: { sets: HistorySet[] }): string {
  if (!r.sets.length) return 'no candles kept yet: botdesk history download SYMBOL TIMEFRAME --from DATE';
  return table(
    ['exchange', 'market', 'tf', 'from (UTC)', 'to (UTC)', 'candles', 'gaps'],
    r.sets.map((s) => [s.exchange, s.symbol, s.timeframe, day(s.from), day(s.to), String(s.candles), String(s.gaps.length)]),
    new Set([5, 6]),
  );
}

const profit = (s: Stats) => s.equity - s.start_equity;

export function formatJobLine(j: Job): string {
  const what = `${j.request.symbol ?? ''} ${j.request.timeframe ?? ''}`.trim();
  return `job #${j.id} ${j.kind} ${what}: ${j.state}${j.state === 'running' ? ` ${Math.round(j.progress * 100)} %` : ''}${j.error ? ` (${j.error})` : ''}`;
}

export function formatJobs(r: { jobs: Job[] }): string {
  if (!r.jobs.length) return 'no jobs';
  return table(
    ['id', 'kind', 'market', 'state', 'progress', 'created'],
    r.jobs.map((j) => [
      String(j.id),
      j.kind,
      `${plain(j.request.symbol)} ${plain(j.request.timeframe)}`,
      j.state,
      `${Math.round(j.progress * 100)} %`,
      dateTime(j.created_at),
    ]),
    new Set([0, 4]),
  );
}

export function formatJob(j: Job): string {
  const head = formatJobLine(j);
  const r = j.result;
  if (!r) return head;
  if ('runs' in r) return `${head}\n${formatSweep(r)}`;
  if ('stats' in r) return `${head}\n${formatStats(r.stats)}`;
  return `${head}\n${pairs([
    ['set', `${r.set.exchange} ${r.set.symbol} ${r.set.timeframe}: ${r.set.candles} candles, ${day(r.set.from)} → ${day(r.set.to)} UTC`],
    ['added', `${r.added} candles in ${r.requests} requests`],
    ['gaps', String(r.set.gaps.length)],
  ])}`;
}

function formatSweep(r: SweepResult): string {
  const keys = Object.keys(r.runs[0]?.params ?? {});
  const oos = r.out_of_sample !== null;
  const rows = r.runs.map((run, i) => [
    String(i + 1),
    ...keys.map((k) => plain(run.params[k])),
    signed(profit(run.in_sample)),
    pct(run.in_sample.max_drawdown_pct),
    String(run.in_sample.trades_count),
    ...(oos && run.out_of_sample ? [signed(profit(run.out_of_sample)), pct(run.out_of_sample.max_drawdown_pct)] : oos ? ['-', '-'] : []),
  ]);
  const headers = ['#', ...keys, 'profit', 'drawdown', 'trades', ...(oos ? ['out-of-sample profit', 'oos drawdown'] : [])];
  const skipped = r.skipped.length ? `\n${r.skipped.length} combination(s) skipped: ${r.skipped[0].reason}` : '';
  return `${table(headers, rows)}${skipped}`;
}
