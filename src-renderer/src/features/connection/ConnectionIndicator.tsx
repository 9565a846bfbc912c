import { useSyncExternalStore } from 'react';
import type { ConnectionState } from '../../../../src-shared/api-client/connection-state';
import { useDashboard } from '../../stores/dashboard-context';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorised: 'Unauthorised',
};

export function useConnectionState(): ConnectionState {
  const { client } = useDashboard();
  return useSyncExternalStore(client.connection.subscribe, client.connection.get);
}

export function ConnectionIndicator() {
  const { client } = useDashboard();
  const state = useConnectionState();
  return (
    <span
      className={`conn conn-${state}`}
      data-testid="connection"
      data-state={state}
      title={client.kind === 'ipc' ? 'Desktop app (IPC)' : 'Browser (HTTP + WebSocket)'}
    >
      <span className="conn-dot" aria-hidden />
      {LABELS[state]}
    </span>
  );
}
