import { useCallback, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { FleetBot } from '../../../../src-shared/contract';
import { errorMessage } from '../../../../src-shared/api-client/api-error';
import { money, signedMoney, timeOfDay } from '../../components/format';
import { Num } from '../../components/Num';
import type { FleetStore } from '../../stores/fleet.store';
import { AddBotDialog } from './AddBotDialog';
import { CloseAllEverywhereConfirm, PauseAllConfirm } from './FleetConfirmations';
import { FleetRow } from './FleetRow';

function Totals({ store }: { store: FleetStore }) {
  const totals = useStore(store, (s) => s.totals);
  return (
    <div className="fleet-totals" data-testid="fleet-totals">
      {totals.length === 0 && <span className="muted">No figures yet.</span>}
      {totals.map((t) => (
        <div key={t.quote} className="fleet-total" data-quote={t.quote}>
          <span className="muted">
            {t.bots} bot{t.bots === 1 ? '' : 's'} in {t.quote}
          </span>
          <span>
            equity <Num text={money(t.equity)} unit={t.quote} value={t.equity} testId="fleet-total-equity" />
          </span>
          <span>
            today <Num text={signedMoney(t.today_pnl)} unit={t.quote} signOf={t.today_pnl} value={t.today_pnl} testId="fleet-total-today" />
          </span>
        </div>
      ))}
    </div>
  );
}

function Outcomes({ store }: { store: FleetStore }) {
  const outcomes = useStore(store, (s) => s.outcomes);
  if (!outcomes) return null;
  return (
    <div className="panel fleet-outcomes" data-testid="fleet-outcomes" role="status">
      <strong>{outcomes.title}</strong>
      <ul>
        {outcomes.list.map((o) => (
          <li key={o.bot_id} data-bot-id={o.bot_id} data-result={o.result} className={o.result === 'ok' ? '' : 'down'}>
            {o.result === 'ok' ? '✓' : o.result === 'unreachable' ? '✗ unreachable:' : '✗ failed:'} {o.detail}
          </li>
        ))}
      </ul>
      <button type="button" className="btn-small" onClick={() => store.getState().dismissOutcomes()}>
        Dismiss
      </button>
    </div>
  );
}

function Alerts({ store }: { store: FleetStore }) {
  const alerts = useStore(store, (s) => s.alerts);
  if (!alerts.length) return null;
  return (
    <section className="panel fleet-alerts" data-testid="fleet-alerts">
      <h3>Alerts</h3>
      <ul>
        {alerts.map((a) => (
          <li key={`${a.bot_id}-${a.ts}-${a.kind}`} data-kind={a.kind} data-bot-id={a.bot_id}>
            <span className="muted">{timeOfDay(a.ts)}</span> {a.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Every bot this BotDesk manages in one table: state, mode, market, equity, today's P&L, positions and connection
 * health, with per-row controls, fleet totals, fleet-wide pause and close-all, and one click into a bot's dashboard.
 */
export function FleetOverview({ store, onOpen, onBack }: { store: FleetStore; onOpen(bot: FleetBot): void; onBack(): void }) {
  const bots = useStore(store, (s) => s.bots);
  const loaded = useStore(store, (s) => s.loaded);
  const busyAll = useStore(store, (s) => s.busy['*']);
  const [dialog, setDialog] = useState<'add' | 'pause-all' | 'close-all' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const report = useCallback((e: unknown) => setProblem(errorMessage(e)), []);
  // stable callbacks keep the memoised rows from re-rendering when another bot's row changes
  const latestOnOpen = useRef(onOpen);
  latestOnOpen.current = onOpen;
  const openRow = useCallback((bot: FleetBot) => latestOnOpen.current(bot), []);
  return (
    <div className="app fleet" data-testid="fleet-overview">
      <header className="topbar">
        <span className="brand">BotDesk · Fleet</span>
        <span className="spacer" />
        <button type="button" className="btn-small" onClick={onBack} data-testid="fleet-back">
          This computer's dashboard
        </button>
      </header>
      <main className="fleet-main">
        <div className="fleet-bar">
          <Totals store={store} />
          <span className="spacer" />
          <button type="button" onClick={() => setDialog('add')} data-testid="fleet-add">
            Add bot…
          </button>
          <button type="button" disabled={busyAll !== undefined} onClick={() => setDialog('pause-all')} data-testid="fleet-pause-all">
            Pause all
          </button>
          <button
            type="button"
            className="btn-danger"
            disabled={busyAll !== undefined}
            onClick={() => setDialog('close-all')}
            data-testid="fleet-close-all"
          >
            Close all everywhere
          </button>
        </div>
        {problem && (
          <div className="banner warn" role="alert" data-testid="fleet-problem">
            {problem}{' '}
            <button type="button" className="btn-small" onClick={() => setProblem(null)}>
              ×
            </button>
          </div>
        )}
        <Outcomes store={store} />
        <section className="panel">
          <table className="grid fleet-table" data-testid="fleet-table">
            <thead>
              <tr>
                <th>bot</th>
                <th>state</th>
                <th>mode</th>
                <th>market</th>
                <th className="r">equity</th>
                <th className="r">today</th>
                <th className="r">positions</th>
                <th>connection</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {bots.map((b) => (
                <FleetRow key={b.id} bot={b} store={store} onOpen={openRow} report={report} />
              ))}
            </tbody>
          </table>
          {!loaded && <p className="muted">Loading the fleet…</p>}
        </section>
        <Alerts store={store} />
      </main>
      {dialog === 'add' && <AddBotDialog store={store} onClose={() => setDialog(null)} />}
      {dialog === 'pause-all' && <PauseAllConfirm store={store} onDone={() => setDialog(null)} report={report} />}
      {dialog === 'close-all' && <CloseAllEverywhereConfirm store={store} onDone={() => setDialog(null)} report={report} />}
    </div>
  );
}
