import { memo, useState } from 'react';
import { useStore } from 'zustand';
import type { FleetAction, FleetBot } from '../../../../src-shared/contract';
import { tradingMode } from '../../../../src-shared/trading-mode';
import { money, signedMoney } from '../../components/format';
import { Num } from '../../components/Num';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { FleetStore } from '../../stores/fleet.store';

const CONNECTION_LABELS: Record<FleetBot['health']['connection'], string> = {
  local: 'this computer',
  connecting: 'connecting…',
  connected: 'connected',
  disconnected: 'disconnected',
  unauthorised: 'token refused',
};
const LINK_LABELS: Record<FleetBot['link'], string> = {
  local: 'in-app',
  loopback: 'tunnel / loopback',
  https: 'https',
  vpn: 'plain http · VPN',
};

/** the actions a bot's state allows, in the order a person reaches for them */
function actionsFor(state: string | undefined): FleetAction[] {
  if (state === 'running') return ['pause', 'stop'];
  if (state === 'paused') return ['resume', 'stop'];
  if (state === 'stopped') return ['start'];
  return [];
}

/** rename in place; remove (a remote only) after a confirmation saying the bot itself keeps running */
function RowEdit({ bot, store, report }: { bot: FleetBot; store: FleetStore; report(e: unknown): void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  if (editing !== null) {
    const save = () =>
      void store
        .getState()
        .rename(bot.id, editing)
        .then(() => setEditing(null), report);
    return (
      <span className="fleet-rename">
        <input
          type="text"
          value={editing}
          autoFocus
          onChange={(e) => setEditing(e.target.value)}
          data-testid="fleet-rename-input"
          onKeyDown={(e) => {
            if (e.key === 'Enter') save();
            if (e.key === 'Escape') setEditing(null);
          }}
        />
        <button type="button" className="btn-small" onClick={save} data-testid="fleet-rename-save">
          save
        </button>
      </span>
    );
  }
  return (
    <>
      <button type="button" className="btn-small" title="Rename" onClick={() => setEditing(bot.name)} data-testid="fleet-rename">
        rename
      </button>
      {bot.kind === 'remote' && (
        <button type="button" className="btn-small" onClick={() => setRemoving(true)} data-testid="fleet-remove">
          remove
        </button>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${bot.name} from the fleet?`}
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(false)}
          onConfirm={() =>
            void store
              .getState()
              .remove(bot.id)
              .then(
                () => setRemoving(false),
                (e: unknown) => {
                  report(e);
                  setRemoving(false);
                },
              )
          }
        >
          <p>This app forgets {bot.url} and its token. The bot itself keeps running and trading as it is.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Health({ bot }: { bot: FleetBot }) {
  const h = bot.health;
  return (
    <span
      className={`fleet-health conn conn-${h.connection === 'local' ? 'connected' : h.connection === 'disconnected' ? 'reconnecting' : h.connection}`}
      title={h.error ?? LINK_LABELS[bot.link]}
      data-testid="fleet-health"
      data-connection={h.connection}
      data-last-seq={h.last_seq ?? ''}
    >
      <span className="conn-dot" aria-hidden />
      {CONNECTION_LABELS[h.connection]}
      {h.latency_ms !== null && <span className="muted"> · {h.latency_ms.toFixed(1)} ms</span>}
      {h.last_seq !== null && <span className="muted"> · #{h.last_seq}</span>}
    </span>
  );
}

interface FleetRowProps {
  bot: FleetBot;
  store: FleetStore;
  onOpen(bot: FleetBot): void;
  report(e: unknown): void;
}

/** memo: a burst of events from one bot re-renders its row only */
export const FleetRow = memo(function FleetRow({ bot, store, onOpen, report }: FleetRowProps) {
  const busy = useStore(store, (s) => s.busy[bot.id]);
  const control = useStore(store, (s) => s.control);
  const s = bot.status;
  const quote = s?.stake_currency ?? '';
  const mode = s ? tradingMode(s) : null;
  return (
    <tr
      data-testid="fleet-row"
      data-bot-id={bot.id}
      data-state={s?.state ?? 'unknown'}
      className={bot.health.connection === 'disconnected' ? 'fleet-row-down' : undefined}
    >
      <td>
        <button
          type="button"
          className="link-button"
          onClick={() => onOpen(bot)}
          data-testid="fleet-open"
          title="Open this bot's dashboard"
        >
          {bot.name}
        </button>
        {bot.link === 'vpn' && (
          <span className="fleet-link-warn" data-testid="fleet-vpn" title="plain http: only safe inside your VPN">
            {' '}
            plain http · VPN
          </span>
        )}
      </td>
      <td>
        <span className={`state-badge state-${s?.state ?? 'unknown'}`} data-testid="fleet-state">
          {s?.state ?? '—'}
        </span>
      </td>
      <td>
        {mode ? (
          <span className={`mode-badge mode-${mode.kind}`} title={mode.detail} data-testid="fleet-mode">
            {mode.label}
          </span>
        ) : (
          '—'
        )}
      </td>
      <td className="muted">{s ? `${s.exchange} · ${s.symbol}` : '—'}</td>
      <td className="r">
        <Num text={money(s?.equity)} unit={quote} value={s?.equity} testId="fleet-equity" />
      </td>
      <td className="r">
        <Num text={signedMoney(bot.today_pnl)} unit={quote} signOf={bot.today_pnl} value={bot.today_pnl} testId="fleet-today" />
      </td>
      <td className="r" data-testid="fleet-positions">
        {s?.open_positions ?? '—'}
      </td>
      <td>
        <Health bot={bot} />
      </td>
      <td className="fleet-actions">
        {actionsFor(s?.state).map((a) => (
          <button
            key={a}
            type="button"
            className="btn-small"
            disabled={busy !== undefined}
            data-testid={`fleet-${a}`}
            onClick={() => void control(bot.id, a).catch(report)}
          >
            {busy === a ? '…' : a}
          </button>
        ))}
        <RowEdit bot={bot} store={store} report={report} />
      </td>
    </tr>
  );
});
