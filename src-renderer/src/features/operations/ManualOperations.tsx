import { useState } from 'react';
import { errorMessage } from '../../../../src-shared/api-client/api-error';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { signedMoney } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore, useQuote } from '../../stores/dashboard-context';
import { OpenPositionDialog } from './OpenPositionDialog';
import { openTotals } from '../../stores/positions.store';

type Pending = 'closeAll' | 'cancelPending' | 'openPosition' | null;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The kill switches, each behind a dialog that says exactly what will happen. */
export function ManualOperations() {
  const { stores, report } = useDashboard();
  const positions = useDashboardStore('positions', (s) => s.positions);
  const pendingOrders = useDashboardStore('status', (s) => s.status?.pending_orders ?? 0);
  const state = useDashboardStore('status', (s) => s.status?.state ?? 'stopped');
  const busy = useDashboardStore('status', (s) => s.busy);
  const [asking, setAsking] = useState<Pending>(null);
  const unrealised = openTotals(positions).unrealized;
  const quote = useQuote();

  const run = async (what: 'closeAll' | 'cancelPending') => {
    const notices = stores.notices.getState();
    try {
      if (what === 'closeAll') {
        const closed = await stores.status.getState().closeAll();
        notices.push('info', `Entries paused; ${plural(closed.length, 'position')} closed.`);
        void stores.positions.getState().refresh();
      } else {
        const n = await stores.status.getState().cancelPending();
        notices.push('info', `${plural(n, 'pending order')} cancelled.`);
      }
    } catch (e) {
      report(new Error(`${what === 'closeAll' ? 'Close all' : 'Cancel pending'} failed: ${errorMessage(e)}`));
    } finally {
      setAsking(null);
    }
  };

  const pauseWords = state === 'running' ? 'Pause entries' : state === 'paused' ? 'Keep entries paused' : 'Hold entries (bot is stopped)';
  const closeText = positions.length
    ? `${pauseWords} and close ${plural(positions.length, 'open position')} at market (unrealised ${signedMoney(unrealised)} ${quote} now).`
    : `${pauseWords}. There are no open positions to close.`;

  return (
    <Panel title="Manual operations" testId="manual-ops">
      <div className="ops">
        <button
          type="button"
          className="btn-primary"
          data-testid="btn-open-position"
          disabled={busy !== null || state === 'stopped'}
          title={state === 'stopped' ? 'Start the bot first' : "Buy at market now with the config's stop-loss and take-profit"}
          onClick={() => setAsking('openPosition')}
        >
          Open position…
        </button>
        <button
          type="button"
          className="btn-danger"
          data-testid="btn-close-all"
          disabled={busy !== null}
          onClick={() => setAsking('closeAll')}
        >
          Close all…
        </button>
        <button type="button" data-testid="btn-cancel-pending" disabled={busy !== null} onClick={() => setAsking('cancelPending')}>
          Cancel pending…
        </button>
      </div>
      {asking === 'openPosition' && <OpenPositionDialog onClose={() => setAsking(null)} />}
      {asking === 'closeAll' && (
        <ConfirmDialog
          title="Flatten and hold"
          confirmLabel="Close all at market"
          danger
          busy={busy === 'closeAll'}
          onConfirm={() => void run('closeAll')}
          onCancel={() => setAsking(null)}
        >
          {closeText} The bot stays paused until you resume it.
        </ConfirmDialog>
      )}
      {asking === 'cancelPending' && (
        <ConfirmDialog
          title="Cancel pending orders"
          confirmLabel="Cancel orders"
          busy={busy === 'cancelPending'}
          onConfirm={() => void run('cancelPending')}
          onCancel={() => setAsking(null)}
        >
          {pendingOrders
            ? `Cancel ${plural(pendingOrders, 'pending order')} on the exchange.`
            : 'Cancel every pending order. There are none pending right now.'}{' '}
          Stop-loss and take-profit orders protecting open positions are not touched.
        </ConfirmDialog>
      )}
    </Panel>
  );
}
