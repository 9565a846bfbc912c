import type { Status } from '../../../../src-shared/contract';
import { tradingMode } from '../../../../src-shared/trading-mode';
import { isSelfPauseReason } from '../../../../src-shared/pause-reasons';
import { errorMessage } from '../../../../src-shared/api-client/api-error';
import { dateTime, duration, money, price, signedMoney, signedPct, timeOfDay } from '../../components/format';
import { Num } from '../../components/Num';
import { useDashboard, useDashboardStore, useQuote } from '../../stores/dashboard-context';
import type { Transition } from '../../stores/status.store';
import { useUptime } from './useUptime';

function ModeBadge({ status }: { status: Status }) {
  const mode = tradingMode(status);
  return (
    <span className={`mode-badge mode-${mode.kind}`} data-testid="mode-badge" data-mode={mode.kind} title={mode.detail}>
      {mode.label}
    </span>
  );
}

/** what reconciliation found that the bot will not touch: a person must decide */
function Attention({ items }: { items: string[] }) {
  if (!items.length) return null;
  return (
    <ul className="attention" data-testid="attention" role="alert">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

export function StatusCard() {
  const { report } = useDashboard();
  const status = useDashboardStore('status', (s) => s.status);
  // the open count is the positions table's own list: both change in the render that applies a position event
  // dust (under the market minimum) is listed apart and does not count as open, as in the status and max_positions
  const open = useDashboardStore('positions', (s) => s.positions.filter((p) => !p.dust).length);
  const busy = useDashboardStore('status', (s) => s.busy);
  const transition = useDashboardStore('status', (s) => s.transition);
  const quote = useQuote();
  const uptime = useUptime(status?.started_at ?? null, status?.uptime_s ?? 0);

  if (!status) {
    return (
      <section className="panel status-card" data-testid="status-card">
        <div className="muted pad">Loading status…</div>
      </section>
    );
  }
  const act = (a: Transition) => transition(a).catch((e) => report(new Error(`${a} failed: ${errorMessage(e)}`)));
  const running = status.state !== 'stopped';
  // equity and today's P&L as one status marks them (the fleet row and the tray show the same pair)
  const todayPnl = status.today_pnl;
  const dayStart = status.equity - todayPnl;
  const todayPct = dayStart > 0 ? (todayPnl / dayStart) * 100 : null;
  const applying = status.applied_config_version !== null && status.applied_config_version !== status.config_version;

  return (
    <section
      className={`panel status-card state-${status.state} ${status.mode === 'live' ? 'is-live' : ''}`}
      data-testid="status-card"
      aria-label="Bot status"
    >
      <div className="status-top">
        <span className={`state-badge state-${status.state}`} data-testid="state-badge" data-state={status.state}>
          {status.state.toUpperCase()}
        </span>
        <ModeBadge status={status} />
      </div>
      <div className="status-market" data-testid="status-market">
        <span className="market-symbol">{status.symbol}</span>
        <span className="muted">
          {status.timeframe} · {status.exchange} · {status.market}
        </span>
      </div>

      <Attention items={status.attention} />
      {status.state === 'paused' && status.paused_reason && (
        <div className="paused-reason" data-testid="paused-reason" role="alert">
          {/* a person's close-all pauses in their name: only other reasons are the bot pausing itself */}
          {isSelfPauseReason(status.paused_reason) ? 'Paused by itself' : 'Paused'}: {status.paused_reason}
          {status.paused_at !== null && <> at {dateTime(status.paused_at)}</>}
        </div>
      )}

      <dl className="kv">
        <dt>Equity</dt>
        <dd>
          <Num text={money(status.equity)} unit={quote} testId="status-equity" value={status.equity} />
        </dd>
        <dt>Today's P&amp;L</dt>
        <dd>
          <Num text={signedMoney(todayPnl)} unit={quote} signOf={todayPnl} testId="status-today-pnl" value={todayPnl} />{' '}
          <Num text={signedPct(todayPct)} signOf={todayPnl} />
        </dd>
        <dt>Last price</dt>
        <dd>
          <Num text={price(status.last_price)} unit={status.stake_currency} />
        </dd>
        <dt>Uptime</dt>
        <dd>
          <span className="num" data-testid="status-uptime">
            {running ? duration(uptime) : '—'}
          </span>
        </dd>
        <dt>Open / pending</dt>
        <dd>
          <span className="num" data-testid="status-counts" data-open={open} data-pending={status.pending_orders}>
            {open} / {status.pending_orders}
          </span>
        </dd>
        <dt>Config</dt>
        <dd>
          <span
            className="num"
            data-testid="status-config-version"
            data-version={status.config_version}
            data-applied={status.applied_config_version ?? ''}
          >
            v{status.config_version}
            {applying ? <span className="muted"> (applying; running v{status.applied_config_version})</span> : null}
          </span>
        </dd>
        <dt>Last cycle</dt>
        <dd>
          <span className="num muted">{status.last_cycle_at ? timeOfDay(status.last_cycle_at) : '—'}</span>
        </dd>
      </dl>

      <div className="status-actions">
        <button
          type="button"
          className={running ? 'btn-danger' : 'btn-primary'}
          data-testid={running ? 'btn-stop' : 'btn-start'}
          disabled={busy !== null}
          onClick={() => act(running ? 'stop' : 'start')}
        >
          {running ? 'Stop' : 'Start'}
        </button>
        {status.state === 'paused' ? (
          <button type="button" data-testid="btn-resume" disabled={busy !== null} onClick={() => act('resume')}>
            Resume
          </button>
        ) : (
          <button type="button" data-testid="btn-pause" disabled={busy !== null || status.state !== 'running'} onClick={() => act('pause')}>
            Pause
          </button>
        )}
      </div>
    </section>
  );
}
