import { useEffect, useState } from 'react';
import type { BotConfig } from '../../../../src-shared/contract';
import { tradingMode } from '../../../../src-shared/trading-mode';
import { EquityChart } from '../../charts/EquityChart';
import { PriceChart } from '../../charts/PriceChart';
import { Notices } from '../../components/Notices';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';
import { ConfigEditor } from '../config/ConfigEditor';
import { ConfigHistory } from '../config/ConfigHistory';
import { LabView } from '../lab/LabView';
import { ConnectionIndicator, useConnectionState } from '../connection/ConnectionIndicator';
import { LogTail } from '../logs/LogTail';
import { BalancesPanel } from '../operations/BalancesPanel';
import { ManualOperations } from '../operations/ManualOperations';
import { PositionsTable } from '../positions/PositionsTable';
import { SettingsDialog } from '../settings/SettingsDialog';
import { StatsStrip } from '../status/StatsStrip';
import { StatusCard } from '../status/StatusCard';
import { TradeHistory } from '../trades/TradeHistory';
import { Tabs } from './Tabs';

interface FleetNav {
  /** back to the fleet overview */
  onFleet(): void;
  /** the bot this dashboard shows, as named in the fleet */
  botName: string;
}

type View = 'dashboard' | 'lab';
/** the view survives a reload (a lab job keeps running on the server; the Lab re-reads it) */
const VIEW_KEY = 'botdesk.view';

function TopBar({ onSignOut, fleet, view, onView }: { onSignOut?: () => void; fleet?: FleetNav; view: View; onView(v: View): void }) {
  const status = useDashboardStore('status', (s) => s.status);
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <header className="topbar">
      <span className="brand">BotDesk</span>
      {fleet && (
        <>
          <button type="button" className="btn-small" onClick={fleet.onFleet} data-testid="open-fleet">
            Fleet
          </button>
          <span className="topbar-bot" data-testid="bot-name">
            {fleet.botName}
          </span>
        </>
      )}
      {status && (
        <span className={`topbar-mode mode-${tradingMode(status).kind}`} data-testid="topbar-mode" title={tradingMode(status).detail}>
          {tradingMode(status).label}
        </span>
      )}
      {status && (
        <span className="topbar-market muted">
          {status.exchange} · {status.symbol} · {status.timeframe}
        </span>
      )}
      <nav className="view-switch" aria-label="View">
        {(['dashboard', 'lab'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={`btn-small ${view === v ? 'is-active' : ''}`}
            aria-pressed={view === v}
            onClick={() => onView(v)}
            data-testid={`open-${v}`}
          >
            {v === 'lab' ? 'Lab' : 'Dashboard'}
          </button>
        ))}
      </nav>
      <span className="spacer" />
      <ConnectionIndicator />
      <button type="button" className="btn-small" onClick={() => setSettingsOpen(true)} data-testid="open-settings">
        Settings
      </button>
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {onSignOut && (
        <button type="button" className="btn-small" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      )}
    </header>
  );
}

function OfflineBanner() {
  const state = useConnectionState();
  if (state !== 'reconnecting') return null;
  return (
    <div className="banner warn offline" data-testid="offline-banner">
      Lost the connection to the bot; reconnecting. The figures below may be stale. The bot keeps trading on its own.
    </div>
  );
}

export function DashboardView({ onSignOut, fleet }: { onSignOut?: () => void; fleet?: FleetNav }) {
  const { stores } = useDashboard();
  // the red frame is for real money only; a testnet has its own colour
  const live = useDashboardStore('status', (s) => (s.status ? tradingMode(s.status).kind === 'live' : false));
  const [view, setViewState] = useState<View>(() => (sessionStorage.getItem(VIEW_KEY) === 'lab' ? 'lab' : 'dashboard'));
  const setView = (v: View) => {
    sessionStorage.setItem(VIEW_KEY, v);
    setViewState(v);
  };
  // a config proposed by the lab opens the config editor on its diff (the same review and confirmation as any edit)
  const [proposals, setProposals] = useState(0);
  const proposal = useDashboardStore('config', (s) => s.proposal);
  useEffect(() => {
    if (!proposal) return;
    setProposals((n) => n + 1);
    setView('dashboard');
  }, [proposal]);
  const apply = (config: BotConfig, source: string) => stores.config.getState().propose({ config, source });

  return (
    <div className={`app ${live ? 'is-live' : ''}`} data-testid="dashboard">
      <TopBar onSignOut={onSignOut} fleet={fleet} view={view} onView={setView} />
      <OfflineBanner />
      <Notices />
      {view === 'lab' ? (
        <LabView onApply={apply} />
      ) : (
        <main className="layout">
          <aside className="side">
            <StatusCard />
            <ManualOperations />
            <StatsStrip />
            <BalancesPanel />
          </aside>
          <div className="main">
            <div className="charts">
              <PriceChart />
              <EquityChart />
            </div>
            <PositionsTable />
            <Tabs
              key={proposals}
              initial={proposals > 0 ? 'config' : undefined}
              tabs={[
                { id: 'trades', label: 'Trades', render: () => <TradeHistory /> },
                { id: 'logs', label: 'Logs', render: () => <LogTail /> },
                {
                  id: 'config',
                  label: 'Config',
                  render: () => (
                    <div className="config-split">
                      <ConfigEditor />
                      <ConfigHistory />
                    </div>
                  ),
                },
              ]}
            />
          </div>
        </main>
      )}
    </div>
  );
}
