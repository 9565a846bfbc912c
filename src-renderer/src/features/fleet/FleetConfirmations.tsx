import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { FleetBot, Position } from '../../../../src-shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { amount, price } from '../../components/format';
import type { FleetStore } from '../../stores/fleet.store';

type Everywhere = { bot: FleetBot; positions: Position[] | null; error: string | null }[];

/** "Close all everywhere": names every bot and every position it will close before anything is sent. */
export function CloseAllEverywhereConfirm({ store, onDone, report }: { store: FleetStore; onDone(): void; report(e: unknown): void }) {
  const [list, setList] = useState<Everywhere | null>(null);
  const busy = useStore(store, (s) => s.busy['*'] === 'close-all-everywhere');
  useEffect(() => {
    void store.getState().positionsEverywhere().then(setList);
  }, [store]);
  return (
    <ConfirmDialog
      title="Close all positions on every bot?"
      confirmLabel="Close all everywhere"
      danger
      busy={busy || list === null}
      onCancel={onDone}
      onConfirm={() =>
        void store
          .getState()
          .closeAllEverywhere()
          .then(onDone, (e: unknown) => {
            report(e);
            onDone();
          })
      }
    >
      <p>Each bot pauses its entries, then closes every open position at market:</p>
      {list === null ? (
        <p className="muted">Reading every bot's positions…</p>
      ) : (
        <ul className="fleet-confirm-list" data-testid="close-all-list">
          {list.map(({ bot, positions, error }) => (
            <li key={bot.id} data-bot-id={bot.id}>
              <strong>{bot.name}</strong>:{' '}
              {error ? (
                <span className="down">cannot be read ({error})</span>
              ) : positions!.length === 0 ? (
                <span className="muted">no open positions</span>
              ) : (
                positions!.map((p) => `${amount(p.amount)} ${p.symbol} @ ${price(p.entry_price)}`).join(', ')
              )}
            </li>
          ))}
        </ul>
      )}
    </ConfirmDialog>
  );
}

/** "Pause all": which bots will stop taking entries. */
export function PauseAllConfirm({ store, onDone, report }: { store: FleetStore; onDone(): void; report(e: unknown): void }) {
  const bots = useStore(store, (s) => s.bots);
  const busy = useStore(store, (s) => s.busy['*'] === 'pause-all');
  return (
    <ConfirmDialog
      title="Pause every bot?"
      confirmLabel="Pause all"
      busy={busy}
      onCancel={onDone}
      onConfirm={() =>
        void store
          .getState()
          .pauseAll()
          .then(onDone, (e: unknown) => {
            report(e);
            onDone();
          })
      }
    >
      <p>No bot opens new positions; open positions keep their stop-loss and take-profit.</p>
      <ul className="fleet-confirm-list">
        {bots.map((b) => (
          <li key={b.id}>
            <strong>{b.name}</strong>: {b.status?.state ?? 'unknown'}
            {b.health.connection === 'disconnected' ? ' (disconnected: will be reported)' : ''}
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
