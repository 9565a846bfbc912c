import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand';
import { useStore } from 'zustand';
import { NOTIFY_KINDS, WEBHOOK_FORMATS, type NotifyKind, type NotifyTestResult, type WebhookFormat } from '../../../../src-shared/contract';
import type { SettingsState } from '../../stores/settings.store';

const KIND_LABELS: Record<NotifyKind, string> = {
  trades: 'Trades',
  self_pauses: 'The bot paused itself',
  errors: 'Errors',
  connection: 'Lost exchange connection',
};

type Problem = { message: string; fields: Record<string, string> } | null;

/**
 * Webhooks and the Telegram chat (docs/contract.md §10): their state and counts everywhere; in the desktop window the
 * token, URLs and secrets are typed here, go to the keychain through IPC, and are never shown again.
 */
export function NotificationsSection({ store, ipc }: { store: StoreApi<SettingsState>; ipc: boolean }) {
  const view = useStore(store, (s) => s.notify);
  const problem = useStore(store, (s) => s.notifyProblem);
  const busy = useStore(store, (s) => s.busy);
  const [token, setToken] = useState('');
  const [chat, setChat] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<WebhookFormat>('discord');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<Problem>(null);
  const [tested, setTested] = useState<NotifyTestResult['results'] | null>(null);
  // without a system keyring the main process asks first (as for exchange keys)
  const [plaintextOk, setPlaintextOk] = useState(false);

  useEffect(() => {
    void store.getState().loadNotify();
  }, [store]);
  useEffect(() => {
    if (view?.telegram) setChat(String(view.telegram.chat_id));
  }, [view?.telegram]);

  if (!view)
    return (
      <section className="settings-section" data-testid="settings-notify">
        <h4>Webhooks and Telegram</h4>
        <p className="muted">{problem ?? 'Loading…'}</p>
      </section>
    );

  const editable = ipc && view.editable;
  const save = async (patch: Parameters<SettingsState['saveNotify']>[0]) => {
    const r = await store.getState().saveNotify(plaintextOk ? { ...patch, confirm_plaintext: true } : patch);
    setErrors(r.ok ? null : { message: r.message, fields: r.fields });
    return r.ok;
  };
  const keep = view.webhooks.map((_, i) => ({ keep: i }));
  const fieldError = (name: string) => (errors?.fields[name] ? <div className="field-error">{errors.fields[name]}</div> : null);

  return (
    <section className="settings-section" data-testid="settings-notify">
      <h4>Webhooks and Telegram</h4>
      <p className="muted" data-testid="notify-note">
        {view.note}
      </p>
      {view.telegram?.state === 'refused' && (
        <div className="banner warn" data-testid="notify-telegram-refused">
          Telegram refused the bot token: nothing is sent and no command is read until it is changed. The bot keeps trading.
        </div>
      )}
      {view.sinks.length > 0 && (
        <table className="notify-sinks" data-testid="notify-sinks">
          <tbody>
            {view.sinks.map((s) => (
              <tr key={s.sink} data-testid={`notify-sink-${s.sink}`}>
                <td>{s.label}</td>
                <td>{s.state}</td>
                <td>
                  {s.delivered} sent · {s.failed} failed · {s.dropped} dropped · {s.queued} waiting
                </td>
                <td className="muted">{s.last_error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.telegram && (
        <p className="muted" data-testid="notify-telegram">
          Telegram chat {view.telegram.chat_id} (token …{view.telegram.token_last4}): {view.telegram.state};{' '}
          {view.telegram.commands_handled} commands, {view.telegram.ignored_other_chats} from other chats ignored.
        </p>
      )}
      <div>
        {NOTIFY_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={view.kinds[kind]}
              disabled={!editable || busy === 'notify'}
              onChange={(e) => void save({ kinds: { [kind]: e.target.checked } })}
              data-testid={`notify-kind-${kind}`}
            />{' '}
            {KIND_LABELS[kind]}
          </label>
        ))}
      </div>
      {editable && (
        <form
          className="keys-form"
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            const patch = { telegram: { chat_id: Number(chat), ...(token ? { token } : {}) } };
            void save(patch).then((ok) => ok && setToken(''));
          }}
        >
          <label>
            Telegram bot token{' '}
            <input
              type="password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              placeholder={view.telegram ? 'stored' : ''}
              data-testid="notify-telegram-token"
            />
          </label>
          {fieldError('telegram.token')}
          <label>
            Chat id{' '}
            <input
              type="text"
              inputMode="numeric"
              value={chat}
              onChange={(e) => setChat(e.target.value)}
              data-testid="notify-telegram-chat"
            />
          </label>
          {fieldError('telegram.chat_id')}
          <div className="inline-actions">
            <button type="submit" className="btn-small" disabled={busy === 'notify' || !chat} data-testid="notify-telegram-save">
              Save Telegram
            </button>
            {view.telegram && (
              <button type="button" className="btn-small" onClick={() => void save({ telegram: null })}>
                Remove Telegram
              </button>
            )}
          </div>
        </form>
      )}
      <ul className="notify-webhooks">
        {view.webhooks.map((w, i) => (
          <li key={i} data-testid={`notify-webhook-${i}`}>
            {w.target}
            {w.signed ? ' (signed)' : ''}{' '}
            {editable && (
              <button type="button" className="btn-small" onClick={() => void save({ webhooks: keep.filter((k) => k.keep !== i) })}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <form
          className="keys-form"
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            const added = { url, format, ...(format === 'json' ? { secret } : {}) };
            void save({ webhooks: [...keep, added] }).then((ok) => {
              if (!ok) return;
              setUrl('');
              setSecret('');
            });
          }}
        >
          <label>
            Webhook URL <input type="password" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="notify-webhook-url" />
          </label>
          {fieldError(`webhooks.${view.webhooks.length}.url`)}
          <label>
            Format{' '}
            <select value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)} data-testid="notify-webhook-format">
              {WEBHOOK_FORMATS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
          {format === 'json' && (
            <label>
              Signing secret <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} />
            </label>
          )}
          {fieldError(`webhooks.${view.webhooks.length}.secret`)}
          <button type="submit" className="btn-small" disabled={busy === 'notify' || !url} data-testid="notify-webhook-add">
            Add webhook
          </button>
        </form>
      )}
      {(errors?.fields.confirm_plaintext || plaintextOk) && (
        <div className="banner warn" data-testid="notify-basic-text">
          {errors?.message}
          <label>
            <input type="checkbox" checked={plaintextOk} onChange={(e) => setPlaintextOk(e.target.checked)} /> Store them anyway
          </label>
        </div>
      )}
      {errors && Object.keys(errors.fields).length === 0 && (
        <div className="field-error" data-testid="notify-error">
          {errors.message}
        </div>
      )}
      <div className="inline-actions">
        <button
          type="button"
          className="btn-small"
          disabled={!view.sinks.length || busy === 'notify-test'}
          onClick={() =>
            void store
              .getState()
              .testNotify()
              .then((r) => (r.ok ? setTested(r.value) : setErrors({ message: r.message, fields: {} })))
          }
          data-testid="notify-test"
        >
          Send test
        </button>
      </div>
      {tested && (
        <ul data-testid="notify-test-results">
          {tested.map((r) => (
            <li key={r.sink} className={r.ok ? 'muted' : 'field-error'}>
              {r.label}: {r.detail} ({r.ms} ms)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
