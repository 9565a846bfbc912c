import { useEffect, useState } from 'react';
import type { BotDeskBridge } from '../../src-shared/contract';
import { createBotClient } from '../../src-shared/api-client/bot-client';
import { createHttpTransport } from '../../src-shared/api-client/http.transport';
import { createIpcTransport } from './api/ipc.transport';
import { createHttpFleetFeed, createIpcFleetFeed, type FleetFeed } from './api/fleet-feed';
import { FleetWorkspace } from './features/fleet/FleetWorkspace';
import { exchangeLoginCode, sessionToken, takeLoginCode, verifyToken } from './api/session';
import { LoginScreen } from './features/login/LoginScreen';
import { createDashboard, type Dashboard } from './stores/dashboard';

declare global {
  interface Window {
    botdesk?: BotDeskBridge;
  }
}

const UNAUTHORISED = 'The server did not accept the token (expired, rotated or the server was reset). Sign in again.';

function Provided({ dashboard, feed, onSignOut }: { dashboard: Dashboard; feed: FleetFeed; onSignOut?: () => void }) {
  return <FleetWorkspace local={dashboard} feed={feed} onSignOut={onSignOut} />;
}

/** Desktop: the preload bridge, always authorised. */
function DesktopApp({ bridge }: { bridge: BotDeskBridge }) {
  const [dashboard] = useState(() => createDashboard(createBotClient(createIpcTransport(bridge))));
  const [feed] = useState(() => createIpcFleetFeed(bridge));
  useEffect(() => () => dashboard.dispose(), [dashboard]);
  return <Provided dashboard={dashboard} feed={feed} />;
}

type BrowserPhase =
  { phase: 'starting' } | { phase: 'login'; reason: string | null } | { phase: 'ready'; dashboard: Dashboard; feed: FleetFeed };

/** Browser: one-time link or typed token → session token in sessionStorage → HTTP + WebSocket. */
function BrowserApp() {
  const origin = window.location.origin;
  const [state, setState] = useState<BrowserPhase>({ phase: 'starting' });

  const open = (token: string) => {
    let current = token;
    const adopt = (next: string) => {
      current = next;
      sessionToken.set(next);
    };
    const dashboard = createDashboard(createBotClient(createHttpTransport({ origin, token, onTokenChange: adopt })));
    const feed = createHttpFleetFeed({ origin, token: () => current });
    const stop = dashboard.client.connection.subscribe((c) => {
      if (c !== 'unauthorised') return;
      stop();
      sessionToken.clear();
      dashboard.dispose();
      setState({ phase: 'login', reason: UNAUTHORISED });
    });
    setState({ phase: 'ready', dashboard, feed });
  };

  useEffect(() => {
    const code = takeLoginCode();
    if (code) {
      exchangeLoginCode(origin, code).then(
        (token) => {
          sessionToken.set(token);
          open(token);
        },
        (e: Error) =>
          setState({
            phase: 'login',
            reason: `The login link did not work: ${e.message} Links are single-use and expire; paste the token instead.`,
          }),
      );
      return;
    }
    const token = sessionToken.get();
    if (token) open(token);
    else setState({ phase: 'login', reason: null });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  if (state.phase === 'starting') return <div className="muted pad">Signing in…</div>;
  if (state.phase === 'login') {
    return (
      <LoginScreen
        reason={state.reason}
        onToken={async (token) => {
          await verifyToken(origin, token);
          sessionToken.set(token);
          open(token);
        }}
      />
    );
  }
  const signOut = () => {
    sessionToken.clear();
    state.dashboard.dispose();
    setState({ phase: 'login', reason: null });
  };
  return <Provided dashboard={state.dashboard} feed={state.feed} onSignOut={signOut} />;
}

export function App() {
  const bridge = window.botdesk;
  return bridge ? <DesktopApp bridge={bridge} /> : <BrowserApp />;
}
