import { useState } from 'react';
import { errorMessage } from '../../../../src-shared/api-client/api-error';

interface LoginScreenProps {
  /** why the user is here: first visit, or the server stopped accepting the token */
  reason: string | null;
  onToken(token: string): Promise<void>;
}

/** Browser only: paste the control token (from BOT_DATA_DIR/api-token) or open the one-time link the server printed. */
export function LoginScreen({ reason, onToken }: LoginScreenProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onToken(token.trim());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" data-testid="login-screen">
      <form
        className="login-card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>BotDesk</h1>
        {reason && (
          <div className="banner warn" data-testid="login-reason">
            {reason}
          </div>
        )}
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          data-testid="login-token"
          autoFocus
        />
        <p className="muted small">
          Open the one-time link that <code>npm run serve</code> printed, or paste the token from <code>BOT_DATA_DIR/api-token</code>. It is
          kept in this tab only.
        </p>
        {error && (
          <div className="form-error" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" className="btn-primary" disabled={busy || !token.trim()} data-testid="login-submit">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
