import { getHeapStatistics } from 'node:v8';
import type { OperationOutput } from '../../src-shared/contract';

export interface MetricsSnapshot {
  status: OperationOutput<'getStatus'>;
  stats: OperationOutput<'getStats'>;
  requests: ReadonlyMap<string, number>;
  wsClients: number;
  eventsPublished: number;
  /** reads held back during the bot's order path, and paths that let theirs go at the bound (read-parking.ts) */
  readParking?: { parkedTotal: number; expiredPaths: number };
}

const STATES = ['running', 'paused', 'stopped'] as const;

/** `{route="…",status="…"}` per request-counter key, built once per key */
const requestLabels = new Map<string, string>();
const labelsOf = (key: string) => {
  let labels = requestLabels.get(key);
  if (labels === undefined) {
    const [route, code] = key.split(' ');
    requestLabels.set(key, (labels = `{route="${route}",status="${code}"}`));
  }
  return labels;
};

/** resident memory, read from the OS at most once a second (a scrape every second is already a busy monitor) */
let rss = { at: -Infinity, bytes: 0 };
const residentBytes = () => {
  const now = performance.now();
  if (now - rss.at >= 1000) rss = { at: now, bytes: process.memoryUsage.rss() };
  return rss.bytes;
};

/** `# HELP`/`# TYPE` lines per metric, built once (a scrape then only formats numbers) */
const headers = new Map<string, string>();

/** Prometheus text exposition (format 0.0.4) of the bot's health and performance. */
export function renderMetrics(m: MetricsSnapshot): string {
  let out = '';
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]) => {
    let header = headers.get(name);
    if (header === undefined) headers.set(name, (header = `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`));
    out += header;
    // no NaN in any metric (docs/contract.md §9): a figure that is not a number yet is left out
    for (const [labels, value] of samples) if (Number.isFinite(value)) out += name + labels + ' ' + value + '\n';
  };
  const { status, stats } = m;
  metric(
    'botdesk_bot_state',
    'gauge',
    'Lifecycle state of the bot (1 for the current one).',
    STATES.map((s) => [`{state="${s}"}`, status.state === s ? 1 : 0]),
  );
  metric('botdesk_uptime_seconds', 'gauge', 'Seconds since the bot was started.', [['', status.uptime_s]]);
  metric('botdesk_stake_currency_info', 'gauge', "The currency every money figure is in (the traded market's quote).", [
    [`{currency="${stats.stake_currency}"}`, 1],
  ]);
  metric('botdesk_equity', 'gauge', 'Account equity in the stake currency.', [['', stats.equity]]);
  metric('botdesk_net_cash_flow', 'gauge', 'Deposits minus withdrawals found in the account, in the stake currency (never P&L).', [
    ['', stats.net_cash_flow],
  ]);
  metric('botdesk_realized_pnl', 'gauge', 'Realised profit and loss, after fees.', [['', stats.realized_pnl]]);
  metric('botdesk_unrealized_pnl', 'gauge', 'Unrealised profit and loss of open positions.', [['', stats.unrealized_pnl]]);
  metric('botdesk_fees_paid_total', 'counter', 'Fees paid.', [['', stats.fees_paid]]);
  metric('botdesk_trades_total', 'counter', 'Closed trades.', [
    ['{result="win"}', stats.wins],
    ['{result="loss"}', stats.losses],
  ]);
  metric('botdesk_max_drawdown_pct', 'gauge', 'Largest peak-to-trough fall of equity, percent.', [['', stats.max_drawdown_pct]]);
  metric('botdesk_open_positions', 'gauge', 'Open positions.', [['', status.open_positions]]);
  metric('botdesk_pending_orders', 'gauge', 'Orders resting on the exchange.', [['', status.pending_orders]]);
  metric('botdesk_config_version', 'gauge', 'Latest config version.', [['', status.config_version]]);
  metric('botdesk_last_cycle_timestamp_seconds', 'gauge', 'When the last trading cycle ran.', [['', (status.last_cycle_at ?? 0) / 1000]]);
  metric(
    'botdesk_http_requests_total',
    'counter',
    'HTTP requests answered, by route and status.',
    [...m.requests].map(([key, n]) => [labelsOf(key), n]),
  );
  metric('botdesk_ws_clients', 'gauge', 'Connected event-stream clients.', [['', m.wsClients]]);
  metric('botdesk_events_published_total', 'counter', 'Events published on the stream.', [['', m.eventsPublished]]);
  if (m.readParking) {
    metric('botdesk_reads_parked_total', 'counter', 'Reads held back while the bot was on its order path.', [
      ['', m.readParking.parkedTotal],
    ]);
    metric('botdesk_read_parking_bound_total', 'counter', 'Order paths that outlasted the bound and let their reads go.', [
      ['', m.readParking.expiredPaths],
    ]);
  }
  // the two figures alone: process.memoryUsage() also walks every V8 space, for figures nobody scrapes
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory.', [['', residentBytes()]]);
  metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [['', getHeapStatistics().used_heap_size]]);
  return out;
}
