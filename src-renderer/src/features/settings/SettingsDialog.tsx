import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { NOTIFICATION_KINDS, type NotificationKind, type Settings, type SettingsPatch } from '../../../../src-shared/contract';
import { useDashboard } from '../../stores/dashboard-context';
import { createSettingsStore } from '../../stores/settings.store';
import { ExchangeKeysSection } from './ExchangeKeysSection';
import { LiveLimitsSection } from './LiveLimitsSection';
import { NotificationsSection } from './NotificationsSection';
import { TokensSection } from './TokensSection';

const KIND_LABELS: Record<NotificationKind, string> = {
  trades: 'Trades (a position closed)',
  self_pause: 'The bot paused itself',
  errors: 'Errors',
  connection: 'Lost exchange connection',
};

/** the keys the form changed, as a partial update */
function changes(saved: Settings, portText: string, launch: boolean, notify: Settings['notifications']): SettingsPatch {
  const patch: SettingsPatch = {};
  // sent as typed when it is not a plain number, so the server names the field rather than the page guessing
  const port = /^\d+$/.test(portText.trim()) ? Number(portText) : (portText as unknown as number);
  if (port !== saved.api_port) patch.api_port = port;
  if (launch !== saved.launch_at_login) patch.launch_at_login = launch;
  const n = Object.fromEntries(NOTIFICATION_KINDS.filter((k) => notify[k] !== saved.notifications[k]).map((k) => [k, notify[k]]));
  if (Object.keys(n).length) patch.notifications = n;
  return patch;
}

/** The settings panel: API port, launch at login, notifications, tokens, exchange keys and live limits, each error by its field. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { client } = useDashboard();
  const [store] = useState(() => createSettingsStore(client));
  const view = useStore(store, (s) => s.view);
  const loadProblem = useStore(store, (s) => s.loadProblem);
  const busy = useStore(store, (s) => s.busy);
  const ref = useRef<HTMLDialogElement>(null);
  const [portText, setPortText] = useState('');
  const [launch, setLaunch] = useState(false);
  const [notify, setNotify] = useState<Settings['notifications'] | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string; fields: Record<string, string> } | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    void store.getState().load();
    return () => dialog?.close();
  }, [store]);

  // the form starts from what is saved, and again after each save
  const saved = view?.settings;
  useEffect(() => {
    if (!saved) return;
    setPortText(String(saved.api_port));
    setLaunch(saved.launch_at_login);
    setNotify(saved.notifications);
  }, [saved]);

  const save = async () => {
    if (!saved || !notify) return;
    const patch = changes(saved, portText, launch, notify);
    if (Object.keys(patch).length === 0) return setResult({ ok: true, message: 'Nothing changed.', fields: {} });
    const r = await store.getState().save(patch);
    setResult(r.ok ? { ok: true, message: 'Saved.', fields: {} } : { ok: false, message: r.message, fields: r.fields });
  };
  const fieldError = (name: string) =>
    result?.fields[name] ? (
      <div className="field-error" data-testid={`field-error-${name}`}>
        {result.fields[name]}
      </div>
    ) : null;

  return (
    <dialog
      ref={ref}
      className="confirm settings"
      data-testid="settings-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h3>Settings</h3>
      {loadProblem && (
        <div className="field-error" data-testid="settings-load-error">
          {loadProblem}
        </div>
      )}
      {view && notify && (
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {view.warning && <div className="banner warn">{view.warning}</div>}
          <section className="settings-section">
            <label className="inline-field">
              API port{' '}
              <input
                type="text"
                className="port-input"
                inputMode="numeric"
                value={portText}
                onChange={(e) => setPortText(e.target.value)}
                data-testid="settings-api-port"
                aria-label="API port"
              />
            </label>
            {fieldError('api_port')}
            <p className="muted">
              Applies at the next start (0 picks a free port). Listening on {view.api.listening_port ?? '—'} now.
              {view.api.port_from_env !== null && (
                <span data-testid="port-from-env"> BOT_API_PORT={view.api.port_from_env} overrides this while it is set.</span>
              )}
            </p>
            <label>
              <input
                type="checkbox"
                checked={launch}
                onChange={(e) => setLaunch(e.target.checked)}
                data-testid="settings-launch-at-login"
              />{' '}
              Launch at login
            </label>
            {fieldError('launch_at_login')}
            {view.launch_at_login_applies === 'desktop_app' && (
              <p className="muted">Applies to the desktop app; this server only stores it.</p>
            )}
          </section>
          <section className="settings-section">
            <h4>Desktop notifications</h4>
            {NOTIFICATION_KINDS.map((kind) => (
              <div key={kind}>
                <label>
                  <input
                    type="checkbox"
                    checked={notify[kind]}
                    onChange={(e) => setNotify({ ...notify, [kind]: e.target.checked })}
                    data-testid={`notify-${kind}`}
                  />{' '}
                  {KIND_LABELS[kind]}
                </label>
                {fieldError(`notifications.${kind}`)}
              </div>
            ))}
          </section>
          <div className="confirm-actions">
            {result && (
              <span className={result.ok ? 'muted' : 'field-error'} data-testid={result.ok ? 'settings-saved' : 'settings-error'}>
                {result.message}
              </span>
            )}
            <button type="submit" className="btn-primary" disabled={busy === 'save'} data-testid="settings-save">
              Save settings
            </button>
          </div>
        </form>
      )}
      {view && <TokensSection store={store} ipc={client.kind === 'ipc'} />}
      <ExchangeKeysSection store={store} ipc={client.kind === 'ipc'} />
      <LiveLimitsSection store={store} ipc={client.kind === 'ipc'} />
      <NotificationsSection store={store} ipc={client.kind === 'ipc'} />
      <div className="confirm-actions">
        <button type="button" onClick={onClose} data-testid="settings-close">
          Close
        </button>
      </div>
    </dialog>
  );
}
