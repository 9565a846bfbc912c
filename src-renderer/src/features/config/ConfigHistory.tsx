import { useState } from 'react';
import type { ConfigVersion } from '../../../../src-shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { dateTime } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';
import { showValue } from './config-form';

const summary = (v: ConfigVersion) =>
  v.changes.length ? v.changes.map((c) => `${c.field} ${showValue(c.from)} → ${showValue(c.to)}`).join(', ') : 'initial config';

/** Every saved version; any older one can be restored (which records a new version). */
export function ConfigHistory() {
  const { stores, report } = useDashboard();
  const history = useDashboardStore('config', (s) => s.history);
  const current = useDashboardStore('config', (s) => s.config?.version ?? null);
  const saving = useDashboardStore('config', (s) => s.saving);
  const [restoring, setRestoring] = useState<ConfigVersion | null>(null);

  const restore = async (v: ConfigVersion) => {
    const outcome = await stores.config.getState().rollback(v.version);
    setRestoring(null);
    if (outcome.ok) stores.notices.getState().push('info', `Version ${v.version} restored as version ${outcome.version}.`);
    else report(new Error(`Restore failed: ${outcome.message}`));
  };

  return (
    <Panel title="Config history" testId="config-history" className="history-panel">
      <ol className="history">
        {history.map((v) => (
          <li
            key={v.version}
            data-testid="config-history-row"
            data-version={v.version}
            className={v.version === current ? 'is-current' : ''}
          >
            <div className="history-head">
              <span className="num">v{v.version}</span>
              <span className="muted num">{dateTime(v.created_at)}</span>
              <span className="muted">{v.actor}</span>
              {v.version === current ? (
                <span className="tag">current</span>
              ) : (
                <button type="button" className="btn-small" data-testid="config-restore" onClick={() => setRestoring(v)}>
                  Restore
                </button>
              )}
            </div>
            <div className="history-changes">
              {v.reason && v.changes.length > 0 && <span className="muted">{v.reason}: </span>}
              {summary(v)}
            </div>
          </li>
        ))}
      </ol>
      {restoring && (
        <ConfirmDialog
          title={`Restore config version ${restoring.version}?`}
          confirmLabel={`Restore v${restoring.version}`}
          busy={saving}
          onConfirm={() => void restore(restoring)}
          onCancel={() => setRestoring(null)}
        >
          The settings of v{restoring.version} ({dateTime(restoring.created_at)}) become a new version, used from the bot's next cycle.
          Changing the symbol or timeframe is refused while positions are open.
        </ConfirmDialog>
      )}
    </Panel>
  );
}
