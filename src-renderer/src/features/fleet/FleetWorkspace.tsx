import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { createBotClient } from '../../../../src-shared/api-client/bot-client';
import type { FleetAlert, FleetBot } from '../../../../src-shared/contract';
import type { FleetFeed } from '../../api/fleet-feed';
import { createFleetBotTransport } from '../../api/fleet.transport';
import { createDashboard, type Dashboard } from '../../stores/dashboard';
import { DashboardContext } from '../../stores/dashboard-context';
import { connectFleet } from '../../stores/fleet.store';
import { DashboardView } from '../layout/DashboardView';
import { FleetOverview } from './FleetOverview';

type View = { kind: 'local' } | { kind: 'fleet' } | { kind: 'remote'; id: string; dashboard: Dashboard };

/**
 * The app's views over one hub: this computer's dashboard (the default), the fleet overview, and any fleet bot's full
 * dashboard — the same views, their stores recreated over a transport that reaches that bot through the hub.
 */
export function FleetWorkspace({ local, feed, onSignOut }: { local: Dashboard; feed: FleetFeed; onSignOut?: () => void }) {
  const [view, setView] = useState<View>({ kind: 'local' });
  const shown = useRef<Dashboard>(local);
  shown.current = view.kind === 'remote' ? view.dashboard : local;
  // a fleet alert is a toast on whatever dashboard is in front (and stays in the overview's alert list)
  const [fleet] = useState(() =>
    connectFleet(local.client, feed, (alert: FleetAlert) => {
      shown.current.stores.notices.getState().push(alert.kind === 'reconnected' ? 'info' : 'warn', alert.message);
    }),
  );
  useEffect(() => () => fleet.dispose(), [fleet]);
  const shownId = view.kind === 'remote' ? view.id : 'local';
  // the name alone, not the rows: every hub event replaces the rows, and a re-render here would re-render the whole
  // dashboard below (its tables and charts) tens of times a second while the bot streams
  const name =
    useStore(fleet.store, (s) => s.bots.find((b) => b.id === shownId)?.name) ?? (view.kind === 'remote' ? view.id : 'This computer');

  const leave = (next: View) => {
    if (view.kind === 'remote') view.dashboard.dispose();
    setView(next);
  };
  const open = (bot: FleetBot) => {
    if (bot.kind === 'local') return leave({ kind: 'local' });
    const transport = createFleetBotTransport({ hub: local.client, feed, botId: bot.id, initial: bot.health.connection });
    leave({ kind: 'remote', id: bot.id, dashboard: createDashboard(createBotClient(transport)) });
  };

  if (view.kind === 'fleet') return <FleetOverview store={fleet.store} onOpen={open} onBack={() => leave({ kind: 'local' })} />;
  const dashboard = view.kind === 'remote' ? view.dashboard : local;
  return (
    <DashboardContext.Provider value={dashboard} key={shownId}>
      <DashboardView onSignOut={onSignOut} fleet={{ onFleet: () => leave({ kind: 'fleet' }), botName: name }} />
    </DashboardContext.Provider>
  );
}
