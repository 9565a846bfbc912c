import { useEffect, useRef, useState } from 'react';
import { errorMessage, isApiError } from '../../../../src-shared/api-client/api-error';
import { classifyBotUrl, isLoopbackHostname, sshTunnelCommand } from '../../../../src-shared/connection-safety';
import type { FleetStore } from '../../stores/fleet.store';

const portOk = (p: string) => /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535;

/**
 * Adding a remote bot, the safe way first: an SSH tunnel to the server's loopback-only API (the exact command to run),
 * then the URL and the token. https:// is taken as is; plain http:// off this machine needs "I use a VPN".
 */
export function AddBotDialog({ store, onClose }: { store: FleetStore; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [user, setUser] = useState('');
  const [host, setHost] = useState('');
  const [remotePort, setRemotePort] = useState('8080');
  const [localPort, setLocalPort] = useState('18080');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('http://127.0.0.1:18080');
  const [urlTouched, setUrlTouched] = useState(false);
  const [token, setToken] = useState('');
  const [vpn, setVpn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; fields: Record<string, string> } | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  // the URL follows the tunnel's local port until the person edits it
  useEffect(() => {
    if (!urlTouched && portOk(localPort)) setUrl(`http://127.0.0.1:${localPort}`);
  }, [localPort, urlTouched]);

  let parsedHost = '';
  try {
    parsedHost = new URL(url).hostname;
  } catch {
    parsedHost = '';
  }
  const needsVpn = url.startsWith('http://') && parsedHost !== '' && !isLoopbackHostname(parsedHost);
  const verdict = classifyBotUrl(url, vpn);
  const command = sshTunnelCommand({
    user: user || 'you',
    host: host || 'your-server',
    localPort: portOk(localPort) ? Number(localPort) : 18080,
    remotePort: portOk(remotePort) ? Number(remotePort) : 8080,
  });

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await store.getState().add({ name: name.trim(), url, token: token.trim(), ...(needsVpn ? { vpn_confirmed: vpn } : {}) });
      onClose();
    } catch (e) {
      setError({ text: errorMessage(e), fields: isApiError(e) ? e.fields : {} });
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="confirm add-bot"
      data-testid="add-bot-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h3>Add a bot on a server</h3>
      <ol className="add-bot-steps">
        <li>
          <strong>On the server</strong>, keep the API on loopback (the default): <code>npm run serve</code>. Its token is in
          <code> ~/.config/botdesk/api-token</code> (or <code>$BOT_DATA_DIR/api-token</code>).
        </li>
        <li>
          <strong>On this computer</strong>, open an SSH tunnel (recommended: nothing is exposed to the internet):
          <div className="add-bot-grid">
            <label>
              user <input value={user} onChange={(e) => setUser(e.target.value)} placeholder="you" data-testid="ssh-user" />
            </label>
            <label>
              server <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="vps.example.com" data-testid="ssh-host" />
            </label>
            <label>
              server port <input value={remotePort} onChange={(e) => setRemotePort(e.target.value)} inputMode="numeric" />
            </label>
            <label>
              local port{' '}
              <input value={localPort} onChange={(e) => setLocalPort(e.target.value)} inputMode="numeric" data-testid="ssh-local-port" />
            </label>
          </div>
          <pre className="ssh-command" data-testid="ssh-command">
            {command}
          </pre>
        </li>
        <li>
          <strong>Add it here</strong> (the token stays in this app's main process; the dashboard never sees it):
          <div className="add-bot-grid">
            <label>
              name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="VPS Frankfurt" data-testid="add-name" />
            </label>
            <label>
              URL{' '}
              <input
                value={url}
                onChange={(e) => {
                  setUrl(e.target.value);
                  setUrlTouched(true);
                }}
                data-testid="add-url"
              />
            </label>
            <label>
              token{' '}
              <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" data-testid="add-token" />
            </label>
          </div>
          <p className="muted">
            Also accepted: <code>https://</code> (TLS in front of the server), or plain <code>http://</code> to an address inside your VPN.
          </p>
          {needsVpn && (
            <label className="add-bot-vpn" data-testid="add-vpn">
              <input type="checkbox" checked={vpn} onChange={(e) => setVpn(e.target.checked)} /> I use a VPN: {parsedHost} is not reachable
              from the internet (plain http sends the token and every order unencrypted).
            </label>
          )}
        </li>
      </ol>
      {!verdict.ok && url && (
        <p className="field-error" data-testid="add-url-problem">
          {verdict.message}
        </p>
      )}
      {error && (
        <div className="banner warn" role="alert" data-testid="add-error">
          {error.text}
          {Object.entries(error.fields)
            .filter(([, why]) => why !== error.text)
            .map(([field, why]) => (
              <div key={field}>
                {field}: {why}
              </div>
            ))}
        </div>
      )}
      <div className="confirm-actions">
        <button type="button" onClick={onClose} data-testid="add-cancel">
          Cancel
        </button>
        <button
          type="button"
          className="btn-primary"
          disabled={busy || !verdict.ok || !name.trim() || !token.trim()}
          onClick={() => void submit()}
          data-testid="add-submit"
        >
          {busy ? 'Checking the server…' : 'Add bot'}
        </button>
      </div>
    </dialog>
  );
}
