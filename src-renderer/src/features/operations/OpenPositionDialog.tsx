import { useState } from 'react';
import { errorMessage } from '../../../../src-shared/api-client/api-error';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { amount, money, price } from '../../components/format';
import { useDashboard, useDashboardStore } from '../../stores/dashboard-context';

/**
 * A person's entry (POST /bot/positions), behind a confirmation that states the size, the price now and where the
 * stop-loss and take-profit will rest. Estimates use the last price; the fill sets the real figures.
 */
export function OpenPositionDialog({ onClose }: { onClose(): void }) {
  const { stores, report } = useDashboard();
  const config = useDashboardStore('config', (s) => s.config);
  const status = useDashboardStore('status', (s) => s.status);
  const busy = useDashboardStore('status', (s) => s.busy);
  const [sizeText, setSizeText] = useState(String(config?.position_size_pct ?? 10));
  if (!config || !status) return null;

  const size = Number(sizeText);
  const sizeOk = sizeText.trim() !== '' && Number.isFinite(size) && size >= 1 && size <= 100;
  const [base, quote] = status.symbol.split('/');
  const last = status.last_price;
  const notional = (status.equity * size) / 100;
  const stop = last === null ? null : last * (1 - config.stop_loss_pct / 100);
  const target = last === null ? null : last * (1 + config.take_profit_pct / 100);

  const confirm = async () => {
    try {
      const p = await stores.status.getState().openPosition(size === config.position_size_pct ? undefined : size);
      stores.notices.getState().push('info', `Opened position #${p.id}: ${amount(p.amount)} ${base} at ${price(p.entry_price)} ${quote}.`);
      onClose();
    } catch (e) {
      report(new Error(`Open position failed: ${errorMessage(e)}`));
      onClose();
    }
  };

  return (
    <ConfirmDialog
      title={`Open a ${status.symbol} position`}
      confirmLabel="Buy at market"
      busy={busy === 'openPosition'}
      disabled={!sizeOk || last === null}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <label className="inline-field">
        Size{' '}
        <input
          type="number"
          min={1}
          max={100}
          step="any"
          value={sizeText}
          onChange={(e) => setSizeText(e.target.value)}
          data-testid="open-size"
          aria-label="Size, % of equity"
        />{' '}
        % of equity
      </label>
      {!sizeOk && <div className="field-error">The size must be between 1 and 100 (% of equity).</div>}
      <p data-testid="open-summary">
        {last === null
          ? 'There is no market price yet.'
          : `Buy about ${amount(notional / last)} ${base} (${money(notional)} ${quote}) at market, now ${price(last)} ${quote}. ` +
            `Stop-loss at ${price(stop)} (−${config.stop_loss_pct}%) and take-profit at ${price(target)} (+${config.take_profit_pct}%) rest on the exchange at once.`}
      </p>
      <p className="muted">
        {status.state === 'running' && config.enabled
          ? 'The strategy keeps trading alongside; this position counts toward max_positions.'
          : 'This opens even though the strategy makes no entries now (paused or enabled: false): those settings hold the strategy back, not you.'}
      </p>
    </ConfirmDialog>
  );
}
