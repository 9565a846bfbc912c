import { useState } from 'react';
import type { StoreApi } from 'zustand';
import { useStore } from 'zustand';
import type { SettingsState } from '../../stores/settings.store';
import { OneTimeToken } from './OneTimeToken';

/** The control token (rotate: the old one stops at once) and the optional read-only token. */
export function TokensSection({ store, ipc }: { store: StoreApi<SettingsState>; ipc: boolean }) {
  const view = useStore(store, (s) => s.view);
  const busy = useStore(store, (s) => s.busy);
  const [control, setControl] = useState<string | null>(null);
  const [read, setRead] = useState<string | null>(null);
  const [own, setOwn] = useState('');
  const [error, setError] = useState<{ where: 'control' | 'read'; message: string; fields?: Record<string, string> } | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  if (!view) return null;
  const { tokens } = view;

  const rotate = async () => {
    setConfirmRotate(false);
    const r = await store.getState().rotateToken();
    if (r.ok) setControl(r.value);
    setError(r.ok ? null : { where: 'control', message: r.message });
  };
  const newRead = async () => {
    const r = await store.getState().setReadToken(own.trim() === '' ? undefined : own);
    if (r.ok) {
      setRead(r.value);
      setOwn('');
    }
    setError(r.ok ? null : { where: 'read', message: r.message, fields: r.fields });
  };
  const removeRead = async () => {
    const r = await store.getState().removeReadToken();
    setRead(null);
    setError(r.ok ? null : { where: 'read', message: r.message });
  };

  return (
    <section className="settings-section" data-testid="settings-tokens">
      <h4>Control token</h4>
      <p className="muted">
        Scripts and the browser dashboard use it{ipc ? '; this window does not need one' : ''}. Regenerating it signs out every other holder
        at once and closes their event streams; {ipc ? 'copy the new one where you need it.' : 'this page keeps working with the new one.'}
      </p>
      {tokens.control.rotatable ? (
        confirmRotate ? (
          <div className="inline-actions">
            <span>Replace the control token now?</span>
            <button
              type="button"
              className="btn-danger btn-small"
              disabled={busy === 'rotate'}
              onClick={() => void rotate()}
              data-testid="rotate-confirm"
            >
              Regenerate
            </button>
            <button type="button" className="btn-small" onClick={() => setConfirmRotate(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="btn-small" onClick={() => setConfirmRotate(true)} data-testid="rotate-token">
            Regenerate control token…
          </button>
        )
      ) : (
        <p className="muted" data-testid="control-from-env">
          Set by BOT_API_TOKEN: change that variable and restart to replace it.
        </p>
      )}
      {control && <OneTimeToken token={control} testId="new-control-token" />}
      {error?.where === 'control' && (
        <div className="field-error" data-testid="rotate-error">
          {error.message}
        </div>
      )}

      <h4>Read-only token</h4>
      <p className="muted">For monitors: every read and the event stream, no control.</p>
      {tokens.read.editable ? (
        <div className="inline-actions">
          <span data-testid="read-token-state">{tokens.read.configured ? 'Configured.' : 'None.'}</span>
          <button
            type="button"
            className="btn-small"
            disabled={busy === 'read-token'}
            onClick={() => void newRead()}
            data-testid="read-token-new"
          >
            {tokens.read.configured ? 'Regenerate' : 'Create'}
          </button>
          {tokens.read.configured && (
            <button
              type="button"
              className="btn-small"
              disabled={busy === 'read-token'}
              onClick={() => void removeRead()}
              data-testid="read-token-remove"
            >
              Remove
            </button>
          )}
        </div>
      ) : (
        <p className="muted">Set by BOT_API_READ_TOKEN: change or unset that variable and restart.</p>
      )}
      {tokens.read.editable && (
        <label className="inline-field">
          Your own token (optional){' '}
          <input
            type="text"
            className="token-input"
            value={own}
            onChange={(e) => setOwn(e.target.value)}
            placeholder="empty: generate one"
            autoComplete="off"
            data-testid="read-token-own"
          />
        </label>
      )}
      {read && <OneTimeToken token={read} testId="new-read-token" />}
      {error?.where === 'read' && (
        <div className="field-error" data-testid="read-token-error">
          {error.fields?.token ? `Token ${error.fields.token}.` : error.message}
        </div>
      )}
    </section>
  );
}
