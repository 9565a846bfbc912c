/**
 * The friendly commands of docs/contract.md §8, each a thin alias over one operation: which operation, which flags and
 * positional arguments feed which of its keys, and how a person reads the answer. Calling goes through the same
 * generic path as `botdesk call`, so nothing here sends a request by hand.
 */
import type { OperationInput, OperationName, OperationOutput } from '../../../src-shared/contract';
import * as f from './format';
import * as lab from './lab-format';

export interface FriendlyCommand {
  /** one or two words: `status`, `config set` */
  name: string;
  operation: OperationName;
  /** the arguments part of its usage line */
  args: string;
  /** overrides the operation's summary in `help` */
  summary?: string;
  /** `--flag` → the operation key it fills (values go through the same parsing as KEY=VALUE) */
  flags?: Record<string, string>;
  /** positional arguments, in order → operation keys */
  positionals?: string[];
  /** accepts any of the operation's keys as KEY=VALUE */
  pairs?: boolean;
  /** a second read (no input) whose answer the human form also shows; `--json` prints the main answer alone */
  context?: OperationName;
  format(output: unknown, input: OperationInput<OperationName>, context: unknown): string;
}

const command = <N extends OperationName, C extends OperationName = never>(
  c: Omit<FriendlyCommand, 'operation' | 'format' | 'context'> & {
    operation: N;
    context?: C;
    /** `context` is null when there is none or its read failed */
    format(output: OperationOutput<N>, input: OperationInput<N>, context: OperationOutput<C> | null): string;
  },
): FriendlyCommand => c as unknown as FriendlyCommand;

export const FRIENDLY_COMMANDS: FriendlyCommand[] = [
  command({ name: 'health', operation: 'getHealth', args: '', format: (r) => r.status }),
  command({ name: 'status', operation: 'getStatus', context: 'getStats', args: '', format: (s, _, stats) => f.formatStatus(s, stats) }),
  command({ name: 'start', operation: 'startBot', args: '', format: f.formatTransition }),
  command({ name: 'stop', operation: 'stopBot', args: '', format: f.formatTransition }),
  command({ name: 'pause', operation: 'pauseBot', args: '', format: f.formatTransition }),
  command({ name: 'resume', operation: 'resumeBot', args: '', format: f.formatTransition }),
  command({ name: 'config', operation: 'getConfig', args: '', format: f.formatConfig }),
  command({
    name: 'config set',
    operation: 'updateConfig',
    args: 'KEY=VALUE… [--if-match VERSION]',
    pairs: true,
    flags: { 'if-match': 'if_match' },
    summary: 'Change config keys at once, all or none (values are JSON where they parse: 2, true, {"name":"rsi_reversion"}).',
    format: (r, input) => f.formatConfigUpdate(r, (input.body ?? {}) as Record<string, unknown>),
  }),
  command({
    name: 'config history',
    operation: 'getConfigHistory',
    args: '[--limit N]',
    flags: { limit: 'limit' },
    format: f.formatConfigHistory,
  }),
  command({
    name: 'config rollback',
    operation: 'rollbackConfig',
    args: 'VERSION',
    positionals: ['version'],
    format: (r) => `config restored as version ${r.version}`,
  }),
  command({
    name: 'trades',
    operation: 'getTrades',
    args: '[--from T] [--to T] [--limit N] [--cursor C]',
    flags: { from: 'from', to: 'to', limit: 'limit', cursor: 'cursor' },
    format: f.formatTrades,
  }),
  command({
    name: 'logs',
    operation: 'getLogs',
    args: '[--level debug|info|warn|error] [--limit N]',
    flags: { level: 'level', limit: 'limit' },
    format: f.formatLogs,
  }),
  command({ name: 'positions', operation: 'getPositions', args: '', format: f.formatPositions }),
  command({
    name: 'orders',
    operation: 'getOrders',
    args: '[--status open|all] [--limit N]',
    flags: { status: 'status', limit: 'limit' },
    format: f.formatOrders,
  }),
  command({ name: 'stats', operation: 'getStats', args: '', format: f.formatStats }),
  command({ name: 'balances', operation: 'getBalances', args: '', format: f.formatBalances }),
  command({
    name: 'open',
    operation: 'openPosition',
    args: '[--size-pct N]',
    flags: { 'size-pct': 'size_pct' },
    format: (r) => `opened ${f.formatPosition(r.position)}`,
  }),
  command({
    name: 'close',
    operation: 'closePosition',
    args: 'ID',
    positionals: ['id'],
    format: (r) => `closed ${f.formatTrade(r.trade)}`,
  }),
  command({ name: 'close-all', operation: 'closeAll', args: '', format: f.formatCloseAll }),
  command({
    name: 'cancel-pending',
    operation: 'cancelPending',
    args: '',
    format: (r) => `cancelled ${r.cancelled} order${r.cancelled === 1 ? '' : 's'}`,
  }),
  // the strategy lab (docs/contract.md §11): each long one answers with its job; `job ID` shows it and its result
  command({ name: 'history', operation: 'getHistory', args: '', format: lab.formatHistory }),
  command({
    name: 'history download',
    operation: 'downloadHistory',
    args: 'SYMBOL TIMEFRAME --from T [--to T]',
    positionals: ['symbol', 'timeframe'],
    flags: { from: 'from', to: 'to' },
    format: (r) => `started ${lab.formatJobLine(r.job)}`,
  }),
  command({
    name: 'backtest',
    operation: 'startBacktest',
    args: 'SYMBOL TIMEFRAME [--from T] [--to T] [--config \'{"stop_loss_pct":2}\']',
    positionals: ['symbol', 'timeframe'],
    flags: { from: 'from', to: 'to', config: 'config' },
    format: (r) => `started ${lab.formatJobLine(r.job)}; see it with: botdesk job ${r.job.id}`,
  }),
  command({
    name: 'sweep',
    operation: 'startSweep',
    args: 'SYMBOL TIMEFRAME vary=JSON [--from T] [--to T] [out_of_sample_pct=N] [config=JSON]',
    positionals: ['symbol', 'timeframe'],
    flags: { from: 'from', to: 'to' },
    pairs: true,
    summary:
      'A parameter sweep, e.g. vary=\'{"stop_loss_pct":{"from":1,"to":3,"step":0.5},"strategy.params.fast":[5,9,13]}\' (up to 3 keys, 10,000 runs).',
    format: (r) => `started ${lab.formatJobLine(r.job)}; see it with: botdesk job ${r.job.id}`,
  }),
  command({
    name: 'jobs',
    operation: 'listJobs',
    args: '[--kind download|backtest|sweep] [--state S] [--limit N]',
    flags: { kind: 'kind', state: 'state', limit: 'limit' },
    format: lab.formatJobs,
  }),
  command({ name: 'job', operation: 'getJob', args: 'ID', positionals: ['id'], format: lab.formatJob }),
  command({
    name: 'job cancel',
    operation: 'cancelJob',
    args: 'ID',
    positionals: ['id'],
    format: (r) => lab.formatJobLine(r.job),
  }),
];

/** `config set …` is found before `config`: the longest name that the positionals start with. */
export function findFriendlyCommand(positionals: string[]): FriendlyCommand | null {
  let best: FriendlyCommand | null = null;
  for (const c of FRIENDLY_COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => positionals[i] === w) && (!best || words.length > best.name.split(' ').length)) best = c;
  }
  return best;
}
