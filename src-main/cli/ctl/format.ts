import { quoteOf } from '../../../src-shared/contract';
/** Human output of the friendly commands: concise lines and tables (`--json` bypasses all of this). */
import type {
  AssetBalance,
  ConfigVersion,
  LogRecord,
  Order,
  Position,
  Stats,
  Status,
  Trade,
  VersionedConfig,
} from '../../../src-shared/contract';
import { tradingMode } from '../../../src-shared/trading-mode';
import { dateTime, duration, money, num, pairs, pct, plain, signed, table } from './text';

export function formatStatus(s: Status, stats: Stats | null = null): string {
  const mode = tradingMode(s);
  const state = s.state === 'paused' && s.paused_reason ? `paused (${s.paused_reason})` : s.state;
  const lines: Array<[string, string]> = [
    ['state', state],
    ['mode', `${mode.label} — ${mode.detail}`],
    ['market', `${s.symbol} ${s.timeframe} on ${s.exchange}${s.last_price !== null ? `, last price ${num(s.last_price)}` : ''}`],
    ['equity', `${money(s.equity)} ${s.stake_currency}${s.equity_ts !== null ? ` (at ${dateTime(s.equity_ts)})` : ''}`],
    ...(stats
      ? [
          [
            'pnl',
            `realised ${signed(stats.realized_pnl)}, unrealised ${signed(stats.unrealized_pnl)}, today ${signed(stats.today_pnl)}; ${stats.trades_count} trades`,
          ] as [string, string],
        ]
      : []),
    ['positions', `${s.open_positions} open, ${s.pending_orders} pending order${s.pending_orders === 1 ? '' : 's'}`],
    ['uptime', s.started_at !== null ? `${duration(s.uptime_s)} (since ${dateTime(s.started_at)})` : '-'],
    [
      'config',
      `version ${s.config_version}${s.applied_config_version !== null && s.applied_config_version !== s.config_version ? ` (cycles still on ${s.applied_config_version})` : ''}`,
    ],
  ];
  for (const item of s.attention) lines.push(['attention', item]);
  return pairs(lines);
}

export function formatTransition(r: { status: Status; changed: boolean }): string {
  return `${r.changed ? 'now' : 'already'} ${r.status.state}`;
}

function strategyText(c: VersionedConfig['strategy']): string {
  return `${c.name} ${Object.entries(c.params)
    .map(([k, v]) => `${k}=${plain(v)}`)
    .join(' ')}`.trim();
}

export function formatConfig(c: VersionedConfig): string {
  const entries = Object.entries(c).filter(([k]) => k !== 'version' && k !== 'strategy');
  return pairs([
    ['version', String(c.version)],
    ...entries.map(([k, v]): [string, string] => [k, plain(v)]),
    ['strategy', strategyText(c.strategy)],
  ]);
}

export function formatConfigUpdate(r: { version: number }, sent: Record<string, unknown>): string {
  return `config version ${r.version}: ${
    Object.entries(sent)
      .map(([k, v]) => `${k}=${plain(v)}`)
      .join(' ') || 'nothing changed'
  }`;
}

export function formatConfigHistory(r: { versions: ConfigVersion[] }): string {
  return r.versions
    .map((v) => {
      const changes = v.changes.map((c) => `${c.field} ${plain(c.from)} → ${plain(c.to)}`).join(', ');
      return `v${v.version}  ${dateTime(v.created_at)}  ${v.actor}  ${v.reason}${changes ? `: ${changes}` : ''}`;
    })
    .join('\n');
}

const tradeRow = (t: Trade): string[] => [
  String(t.id),
  dateTime(t.exit_time),
  t.symbol,
  num(t.amount),
  num(t.entry_price),
  num(t.exit_price),
  signed(t.pnl),
  pct(t.pnl_pct),
  t.exit_reason,
];
const TRADE_HEADERS = ['id', 'closed', 'symbol', 'amount', 'entry', 'exit', 'pnl', 'pnl%', 'reason'];
const TRADE_NUMBERS = new Set([0, 3, 4, 5, 6, 7]);

export function formatTradeList(trades: Trade[]): string {
  return table(TRADE_HEADERS, trades.map(tradeRow), TRADE_NUMBERS);
}

export function formatTrades(r: { trades: Trade[]; next_cursor: string | null; total: number; total_pnl: number }): string {
  if (!r.trades.length) return 'no trades in this window';
  const quote = quoteOf(r.trades[0].symbol);
  const footer = `${r.trades.length} shown of ${r.total}; total pnl ${signed(r.total_pnl)} ${quote}`;
  const more = r.next_cursor ? `\nmore: add --cursor ${r.next_cursor} (with the same --from/--to)` : '';
  return `${formatTradeList(r.trades)}\n${footer}${more}`;
}

export function formatTrade(t: Trade): string {
  return `trade #${t.id}: ${num(t.amount)} ${t.symbol} ${num(t.entry_price)} → ${num(t.exit_price)}, pnl ${signed(t.pnl)} (${pct(t.pnl_pct)}), ${t.exit_reason}`;
}

export function formatPositions(ps: Position[]): string {
  if (!ps.length) return 'no open positions';
  return table(
    ['id', 'symbol', 'amount', 'entry', 'current', 'unrealised', 'stop', 'take-profit', 'opened'],
    ps.map((p) => [
      String(p.id),
      p.symbol,
      num(p.amount),
      num(p.entry_price),
      num(p.current_price),
      signed(p.unrealized_pnl),
      num(p.stop_loss_price),
      num(p.take_profit_price),
      dateTime(p.opened_at),
    ]),
    new Set([0, 2, 3, 4, 5, 6, 7]),
  );
}

export function formatPosition(p: Position): string {
  return `position #${p.id}: ${num(p.amount)} ${p.symbol} at ${num(p.entry_price)}, stop ${num(p.stop_loss_price)}, take-profit ${num(p.take_profit_price)}`;
}

export function formatStats(s: Stats): string {
  return pairs([
    ['equity', `${money(s.equity)} ${s.stake_currency} (started at ${money(s.start_equity)})`],
    ['realised pnl', signed(s.realized_pnl)],
    ['unrealised pnl', signed(s.unrealized_pnl)],
    ['net cash flow', `${signed(s.net_cash_flow)} (deposits − withdrawals, not P&L)`],
    ['today', signed(s.today_pnl)],
    ['fees paid', money(s.fees_paid)],
    ['trades', `${s.trades_count} (${s.wins} won, ${s.losses} lost, win rate ${pct(s.win_rate * 100, 1)})`],
    [
      'best / worst',
      `${s.best_trade_pnl === null ? '-' : signed(s.best_trade_pnl)} / ${s.worst_trade_pnl === null ? '-' : signed(s.worst_trade_pnl)}`,
    ],
    ['profit factor', s.profit_factor === null ? '-' : s.profit_factor.toFixed(2)],
    ['max drawdown', pct(s.max_drawdown_pct)],
    ['open positions', String(s.open_positions)],
  ]);
}

export function formatBalances(r: { balances: AssetBalance[] }): string {
  if (!r.balances.length) return 'no balances';
  return table(
    ['asset', 'free', 'used', 'total'],
    r.balances.map((b) => [b.asset, num(b.free), num(b.used), num(b.total)]),
    new Set([1, 2, 3]),
  );
}

export function formatOrders(r: { orders: Order[] }): string {
  if (!r.orders.length) return 'no orders';
  return table(
    ['id', 'created', 'side', 'type', 'purpose', 'amount', 'price', 'trigger', 'status', 'filled'],
    r.orders.map((o) => [
      String(o.id),
      dateTime(o.created_at),
      o.side,
      o.type,
      o.purpose,
      num(o.amount),
      num(o.price),
      num(o.trigger_price),
      o.status,
      num(o.filled),
    ]),
    new Set([0, 5, 6, 7, 9]),
  );
}

/** The fields a record carries beyond ts/level/msg, as `key=value` (a log line's context). */
export function extraFields(record: Record<string, unknown>, skip: string[]): string {
  return Object.entries(record)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}=${plain(v)}`)
    .join(' ');
}

/** Oldest first, like `tail`: the API answers newest first. */
export function formatLogs(records: LogRecord[]): string {
  if (!records.length) return 'no log records at this level';
  return [...records]
    .reverse()
    .map((r) => `${dateTime(r.ts)} ${r.level.padEnd(5)} ${r.msg} ${extraFields(r, ['ts', 'level', 'msg'])}`.trimEnd())
    .join('\n');
}

export function formatCloseAll(r: { closed: Trade[]; status: Status }): string {
  const head = `closed ${r.closed.length} position${r.closed.length === 1 ? '' : 's'}; the bot is ${r.status.state}`;
  return r.closed.length ? `${head}\n${formatTradeList(r.closed)}` : head;
}

/** Anything without a friendly form (the generic `call`): indented JSON. */
export const formatAny = (v: unknown): string => JSON.stringify(v, null, 2);
