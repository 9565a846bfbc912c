/**
 * Which bot events become desktop notifications, and their words. Pure: events in, notifications out; the Electron
 * boundary (shell/desktop-notifications.ts) only shows them. Four kinds, each switchable:
 *   trades      a position opened or a trade closed (symbol, P&L with sign and quote unit, why it closed)
 *   self_pause  the bot paused itself (kill switch, exchange trouble…), never a person's Pause or close-all
 *   errors      error events, one at once then one summary a minute with a count while they keep coming
 *   connection  the exchange link was lost (the bot's circuit breaker, or market data polls failing) / came back
 * One cause is told once: a self-pause announced by an error event gives the self-pause notification, not both, and a
 * lost connection that paused the bot gives the connection notification saying so.
 */
import {
  CONNECTION_LOG_FIELD,
  LOCAL_BOT_ID,
  type BotEvent,
  type EventData,
  type ExitReason,
  type FleetAlert,
  type Status,
} from '../../src-shared/contract';
import { BurstLimiter } from './burst-limiter';
import { quoteOf, signedQuote } from './money-text';
import { becameSelfPaused } from '../../src-shared/pause-reasons';

export const NOTIFICATION_KINDS = ['trades', 'self_pause', 'errors', 'connection'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationSwitches = Record<NotificationKind, boolean>;
export const ALL_NOTIFICATIONS_ON: NotificationSwitches = { trades: true, self_pause: true, errors: true, connection: true };

export interface DesktopNotification {
  kind: NotificationKind;
  title: string;
  body: string;
  /** the event it tells of, as the stream carried it (json webhooks send it); none for summaries */
  event?: BotEvent;
}

export interface NotificationRulesOptions {
  /** the status when the rules start: a pause that was already there is not news */
  initialStatus: Status | null;
  /** read at every event, so a switch takes effect at once (the settings store's `notifications`) */
  enabled?: () => NotificationSwitches;
  /** errors: one notification, then one summary per window (default one minute) */
  errorWindowMs?: number;
  /** trades: this many at once per window, the rest summed up in one (default 5 a minute) */
  tradesPerWindow?: number;
  /** each notification carries the event it tells of (webhooks send it; the desktop does not need it) */
  attachEvents?: boolean;
}

export interface NotificationRules {
  /** the events of one synchronous burst (one cause publishes several at once), oldest first */
  take(events: readonly BotEvent[], now: number): DesktopNotification[];
  /** summaries whose window has ended */
  flush(now: number): DesktopNotification[];
  /** when flush() next has something to say, or null */
  readonly dueAt: number | null;
}

const BODY_MAX = 240;
const clip = (text: string): string => (text.length <= BODY_MAX ? text : `${text.slice(0, BODY_MAX - 1)}…`);

const EXIT_WORDS: Record<ExitReason, string> = {
  stop_loss: 'stop-loss',
  take_profit: 'take-profit',
  signal: 'exit signal',
  manual: 'closed by hand',
  close_all: 'close all',
  trailing_stop: 'trailing stop',
};

const ERROR_TITLES: Record<string, string> = {
  order_rejected: 'Order rejected',
  exchange_error: 'Exchange error',
  feed_error: 'Market data error',
  reconcile_error: 'Needs your attention',
  daily_loss_limit: 'Daily loss limit reached',
};

type TradeItem = { opened: EventData<'position'> } | { closed: EventData<'trade'> };
type ConnectionSignal = 'lost' | 'restored';

const connectionSignal = (e: BotEvent): ConnectionSignal | null => {
  if (e.type !== 'log') return null;
  const v = (e.data as Record<string, unknown>)[CONNECTION_LOG_FIELD];
  return v === 'lost' || v === 'restored' ? v : null;
};

function tradeNotification(item: TradeItem): DesktopNotification {
  if ('opened' in item) {
    const p = item.opened;
    const quote = quoteOf(p.symbol);
    return {
      kind: 'trades',
      title: `Position opened: ${p.symbol}`,
      body: `${p.amount} at ${p.entry_price} ${quote}; stop-loss ${p.stop_loss_price}, take-profit ${p.take_profit_price}`,
    };
  }
  const t = item.closed;
  const pct = `${t.pnl_pct > 0 ? '+' : ''}${t.pnl_pct.toFixed(2)}%`;
  return {
    kind: 'trades',
    title: `${t.symbol} closed: ${signedQuote(t.pnl, quoteOf(t.symbol))}`,
    body: `${EXIT_WORDS[t.exit_reason]} · ${t.amount} at ${t.entry_price} → ${t.exit_price} (${pct})`,
  };
}

function tradeSummary(held: TradeItem[], windowMs: number): DesktopNotification {
  const closed = held.flatMap((i) => ('closed' in i ? [i.closed] : []));
  const opened = held.length - closed.length;
  const parts = [];
  if (closed.length) {
    const quote = quoteOf(closed[0].symbol);
    parts.push(
      `${closed.length} closed, ${signedQuote(
        closed.reduce((s, t) => s + t.pnl, 0),
        quote,
      )} in all`,
    );
  }
  if (opened) parts.push(`${opened} opened`);
  return { kind: 'trades', title: `${held.length} more trade notices in the last ${minutes(windowMs)}`, body: parts.join('; ') };
}

function errorSummary(held: EventData<'error'>[], windowMs: number): DesktopNotification {
  const distinct = new Set(held.map((e) => e.message)).size;
  const latest = held[held.length - 1].message;
  return {
    kind: 'errors',
    title: `${held.length} more error${held.length === 1 ? '' : 's'} in the last ${minutes(windowMs)}`,
    body: clip(`${distinct > 1 ? `${distinct} different; ` : ''}latest: ${latest}`),
  };
}

const logMessage = (e: BotEvent): string => (e.type === 'log' ? e.data.msg : '');
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

const minutes = (ms: number): string =>
  ms === 60_000 ? 'minute' : ms % 60_000 === 0 ? `${ms / 60_000} minutes` : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;

export function createNotificationRules(o: NotificationRulesOptions): NotificationRules {
  const enabled = o.enabled ?? (() => ALL_NOTIFICATIONS_ON);
  const errorWindowMs = o.errorWindowMs ?? 60_000;
  const errors = new BurstLimiter<EventData<'error'>>({ windowMs: errorWindowMs, allowance: 1 });
  const trades = new BurstLimiter<TradeItem>({ windowMs: 60_000, allowance: o.tradesPerWindow ?? 5 });
  let last: Pick<Status, 'state' | 'paused_reason'> | null = o.initialStatus;
  let connectionDown = false;
  const tell = (e: BotEvent): BotEvent | undefined => (o.attachEvents ? e : undefined);

  const flush = (now: number): DesktopNotification[] => {
    const on = enabled();
    const out: DesktopNotification[] = [];
    const heldErrors = errors.take(now);
    if (heldErrors && on.errors) out.push(errorSummary(heldErrors, errorWindowMs));
    const heldTrades = trades.take(now);
    if (heldTrades && on.trades) out.push(tradeSummary(heldTrades, 60_000));
    return out;
  };

  return {
    get dueAt() {
      const due = [errors.dueAt, trades.dueAt].filter((t): t is number => t !== null);
      return due.length ? Math.min(...due) : null;
    },
    flush,
    take(events, now) {
      const on = enabled();
      if (!on.errors) errors.clear();
      if (!on.trades) trades.clear();
      const out = flush(now);

      // what this burst says as a whole, so one cause is told once
      let before = last;
      const pauseReasons = new Set<string>();
      for (const e of events) {
        if (e.type !== 'status_change') continue;
        if (becameSelfPaused(before, e.data)) pauseReasons.add(e.data.paused_reason as string);
        before = e.data;
      }
      const lostNow = !connectionDown && events.some((e) => connectionSignal(e) === 'lost');
      // the error event that announced a self-pause adds nothing when the pause itself is told
      const pauseTold = on.self_pause || (lostNow && on.connection);

      for (const e of events) {
        const signal = connectionSignal(e);
        if (signal === 'lost' && !connectionDown) {
          connectionDown = true;
          if (on.connection) {
            const paused = pauseReasons.size ? ' BotDesk paused new entries; open positions keep their protection.' : '';
            out.push({
              kind: 'connection',
              title: 'Lost connection to the exchange',
              body: clip(`${sentence(logMessage(e))}${paused}`),
              event: tell(e),
            });
          }
        } else if (signal === 'restored' && connectionDown) {
          connectionDown = false;
          if (on.connection)
            out.push({ kind: 'connection', title: 'Exchange connection is back', body: clip(sentence(logMessage(e))), event: tell(e) });
        } else if (e.type === 'status_change') {
          if (becameSelfPaused(last, e.data) && on.self_pause && !(lostNow && on.connection)) {
            out.push({
              kind: 'self_pause',
              title: 'BotDesk paused itself',
              body: clip(`${e.data.paused_reason}. No new entries; open positions are still managed.`),
              event: tell(e),
            });
          }
          last = e.data;
        } else if (e.type === 'error') {
          if (!on.errors || (pauseTold && pauseReasons.has(e.data.message))) continue;
          if (errors.admit(e.data, now))
            out.push({ kind: 'errors', title: ERROR_TITLES[e.data.code] ?? 'BotDesk error', body: clip(e.data.message), event: tell(e) });
        } else if (e.type === 'trade' || (e.type === 'position' && e.data.status === 'open')) {
          if (!on.trades) continue;
          const item: TradeItem = e.type === 'trade' ? { closed: e.data } : { opened: e.data as EventData<'position'> };
          if (trades.admit(item, now)) out.push({ ...tradeNotification(item), event: tell(e) });
        }
      }
      return out;
    },
  };
}

const FLEET_ALERT_SWITCH: Record<FleetAlert['kind'], NotificationKind> = {
  disconnected: 'connection',
  reconnected: 'connection',
  unauthorised: 'errors',
  paused: 'self_pause',
  error: 'errors',
};

/**
 * A fleet bot's alert as a desktop notification (its message names the bot), under the switch of its kind. This
 * computer's own bot is left out: its events already reach the rules above.
 */
export function fleetAlertNotification(alert: FleetAlert, enabled: NotificationSwitches): DesktopNotification | null {
  if (alert.bot_id === LOCAL_BOT_ID) return null;
  const kind = FLEET_ALERT_SWITCH[alert.kind];
  return enabled[kind] ? { kind, title: `BotDesk · ${alert.name}`, body: alert.message } : null;
}
