import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand';
import { useStore } from 'zustand';
import type { LiveLimitsPatch, LiveLimitsSettings } from '../../../../src-shared/contract';
import type { SettingsState } from '../../stores/settings.store';

/** the form's text → a change of the saved limits (typed values are sent as typed, so the main process names the field) */
function limitsPatch(saved: LiveLimitsSettings, markets: string, ceiling: string, maxOrder: string): LiveLimitsPatch {
  const patch: Record<string, unknown> = {};
  const list = markets
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);
  if (list.join(',') !== saved.markets.join(',')) patch.markets = list;
  const asNumber = (t: string) => (/^\s*\d+(\.\d*)?\s*$/.test(t) ? Number(t) : t);
  if (String(saved.max_daily_loss_pct) !== ceiling.trim()) patch.max_daily_loss_pct = asNumber(ceiling);
  const order = maxOrder.trim() === '' ? null : asNumber(maxOrder);
  if (order !== saved.max_order) patch.max_order = order;
  return patch as LiveLimitsPatch;
}

/**
 * Live limits (docs/contract.md §9): the markets live trading may use, the kill switch's ceiling, the most one order may be
 * worth. Changed here, in the desktop window, only: the management API (and so a browser or a leaked token) can read
 * them but has no way to change them. Saved limits apply at the next start; a BOT_LIVE_* variable wins where set.
 */
export function LiveLimitsSection({ store, ipc }: { store: StoreApi<SettingsState>; ipc: boolean }) {
  const view = useStore(store, (s) => s.view);
  const busy = useStore(store, (s) => s.busy);
  const saved = view?.settings.live_limits;
  const [markets, setMarkets] = useState('');
  const [ceiling, setCeiling] = useState('');
  const [maxOrder, setMaxOrder] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string; fields: Record<string, string> } | null>(null);
  useEffect(() => {
    if (!saved) return;
    setMarkets(saved.markets.join(', '));
    setCeiling(String(saved.max_daily_loss_pct));
    setMaxOrder(saved.max_order === null ? '' : String(saved.max_order));
  }, [saved]);
  if (!view || !saved) return null;
  const inForce = view.live_limits.in_force;
  const fromEnv = view.live_limits.from_env;
  const fieldError = (name: string) => {
    const why =
      result?.fields[name] ??
      (name === 'markets' ? Object.entries(result?.fields ?? {}).find(([k]) => k.startsWith('markets.'))?.[1] : undefined);
    return why ? (
      <div className="field-error" data-testid={`live-limits-error-${name}`}>
        {why}
      </div>
    ) : null;
  };
  const save = async () => {
    const patch = limitsPatch(saved, markets, ceiling, maxOrder);
    if (Object.keys(patch).length === 0) return setResult({ ok: true, message: 'Nothing changed.', fields: {} });
    const r = await store.getState().saveLiveLimits(patch);
    setResult(
      r.ok
        ? { ok: true, message: 'Saved: they apply at the next start.', fields: {} }
        : { ok: false, message: r.message, fields: r.fields },
    );
  };

  return (
    <section className="settings-section" data-testid="settings-live-limits">
      <h4>Live limits</h4>
      <p className="muted" data-testid="live-limits-in-force">
        In force for live trading now: markets {inForce.markets.length ? inForce.markets.join(', ') : "the config's symbol at start"}; daily
        loss limit at most {inForce.max_daily_loss_pct}%; one order at most{' '}
        {inForce.max_order === null ? 'unlimited' : `${inForce.max_order} (stake currency)`}.
        {fromEnv.length > 0 && (
          <span data-testid="live-limits-from-env"> Set by {fromEnv.join(', ')}, which win over what is saved here.</span>
        )}
      </p>
      {!ipc && (
        <p className="muted" data-testid="live-limits-window-only">
          Live limits are changed in the desktop app&apos;s window only (or by the BOT_LIVE_* variables): the management API, and so this
          page, cannot lift them.
        </p>
      )}
      {ipc && (
        <form
          className="live-limits-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            Markets live trading may use{' '}
            <input
              type="text"
              value={markets}
              placeholder="ETH/BTC, LTC/BTC (empty: the config's symbol)"
              onChange={(e) => setMarkets(e.target.value)}
              data-testid="live-limits-markets"
            />
          </label>
          {fieldError('markets')}
          <label>
            Daily loss limit ceiling (%){' '}
            <input
              type="text"
              inputMode="decimal"
              value={ceiling}
              onChange={(e) => setCeiling(e.target.value)}
              data-testid="live-limits-ceiling"
            />
          </label>
          {fieldError('max_daily_loss_pct')}
          <label>
            Most one order may be worth (stake currency){' '}
            <input
              type="text"
              inputMode="decimal"
              value={maxOrder}
              placeholder="no limit"
              onChange={(e) => setMaxOrder(e.target.value)}
              data-testid="live-limits-max-order"
            />
          </label>
          {fieldError('max_order')}
          <div className="inline-actions">
            <button type="submit" className="btn-primary btn-small" disabled={busy === 'live-limits'} data-testid="live-limits-save">
              Save live limits
            </button>
            {result && (
              <span
                className={result.ok ? 'muted' : 'field-error'}
                data-testid={result.ok ? 'live-limits-saved' : 'live-limits-result-error'}
              >
                {result.message}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
