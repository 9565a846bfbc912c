import { useState } from 'react';
import type { StoreApi } from 'zustand';
import { useStore } from 'zustand';
import type { SettingsState } from '../../stores/settings.store';

/**
 * Exchange keys for live trading: typed here, stored encrypted by the main process, never shown again (only
 * "stored" and the API key's last four characters). Without a system keyring it warns and asks first.
 */
export function ExchangeKeysSection({ store, ipc }: { store: StoreApi<SettingsState>; ipc: boolean }) {
  const keys = useStore(store, (s) => s.keys);
  const problem = useStore(store, (s) => s.keysProblem);
  const busy = useStore(store, (s) => s.busy);
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [plaintextOk, setPlaintextOk] = useState(false);
  const [errors, setErrors] = useState<{ message: string; fields: Record<string, string> } | null>(null);

  if (!keys) {
    return (
      <section className="settings-section" data-testid="settings-keys">
        <h4>Exchange keys</h4>
        <p className="muted" data-testid="keys-note">
          {problem ?? 'Loading…'}
        </p>
      </section>
    );
  }
  const weak = keys.protection === 'basic_text';
  const save = async () => {
    const r = await store.getState().saveKeys({ apiKey, secret, ...(weak ? { confirm_plaintext: plaintextOk } : {}) });
    if (r.ok) {
      // the form forgets what was typed as soon as the main process has it
      setApiKey('');
      setSecret('');
      setPlaintextOk(false);
    }
    setErrors(r.ok ? null : { message: r.message, fields: r.fields });
  };

  return (
    <section className="settings-section" data-testid="settings-keys">
      <h4>Exchange keys</h4>
      <p data-testid="keys-state" data-stored={keys.stored}>
        {keys.stored ? `Stored ✓ ${keys.exchange ?? ''} key ····${keys.key_last4 ?? ''}` : 'No keys stored.'}
      </p>
      <p className="muted" data-testid="keys-note">
        {keys.note}
      </p>
      {keys.editable && !ipc && (
        <p className="muted" data-testid="keys-window-only">
          Keys are entered in the desktop app&apos;s window only: the management API, and so this page, cannot set or read them.
        </p>
      )}
      {keys.editable && ipc && (
        <form
          className="keys-form"
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            API key{' '}
            <input
              type="password"
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              data-testid="keys-api-key"
              autoComplete="off"
            />
          </label>
          {errors?.fields.apiKey && <div className="field-error">{errors.fields.apiKey}</div>}
          <label>
            Secret{' '}
            <input
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              data-testid="keys-secret"
              autoComplete="off"
            />
          </label>
          {errors?.fields.secret && <div className="field-error">{errors.fields.secret}</div>}
          {weak && (
            <div className="banner warn" data-testid="keys-basic-text">
              No system keyring was found (GNOME Keyring, KWallet): the keys would be encrypted with a key built into the app, which anyone
              who can read your files can undo.
              <label>
                <input
                  type="checkbox"
                  checked={plaintextOk}
                  onChange={(e) => setPlaintextOk(e.target.checked)}
                  data-testid="keys-confirm-plaintext"
                />{' '}
                Store them anyway
              </label>
            </div>
          )}
          <div className="inline-actions">
            <button
              type="submit"
              className="btn-primary btn-small"
              disabled={busy === 'keys' || !apiKey || !secret}
              data-testid="keys-save"
            >
              {keys.stored ? 'Replace keys' : 'Save keys'}
            </button>
            {keys.stored && (
              <button
                type="button"
                className="btn-small"
                disabled={busy === 'keys'}
                onClick={() => void store.getState().deleteKeys()}
                data-testid="keys-delete"
              >
                Delete keys
              </button>
            )}
          </div>
          {errors && !errors.fields.apiKey && !errors.fields.secret && (
            <div className="field-error" data-testid="keys-error">
              {errors.message}
            </div>
          )}
        </form>
      )}
    </section>
  );
}
