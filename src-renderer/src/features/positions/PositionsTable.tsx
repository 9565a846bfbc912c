import { useState } from 'react';
import type { Position } from '../../../../src-shared/contract';
import { errorMessage } from '../../../../src-shared/api-client/api-error';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { amount, dateTime, price, signedMoney, signedPct } from '../../components/format';
import { Num } from '../../components/Num';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore, useQuote } from '../../stores/dashboard-context';
import { openTotals } from '../../stores/positions.store';

const pnlPct = (p: Position) => (p.entry_price * p.amount > 0 ? (p.unrealized_pnl / (p.entry_price * p.amount)) * 100 : 0);

export function PositionsTable() {
  const { report } = useDashboard();
  const positions = useDashboardStore('positions', (s) => s.positions);
  const closing = useDashboardStore('positions', (s) => s.closing);
  const close = useDashboardStore('positions', (s) => s.close);
  const [confirming, setConfirming] = useState<Position | null>(null);
  const total = openTotals(positions).unrealized;
  const dustCount = positions.filter((p) => p.dust).length;
  const quote = useQuote();

  const doClose = (p: Position) => {
    setConfirming(null);
    close(p.id).catch((e) => report(new Error(`Closing position #${p.id} failed: ${errorMessage(e)}`)));
  };

  return (
    <Panel
      title="Open positions"
      testId="positions"
      aside={
        <span className="muted">
          {positions.filter((p) => !p.dust).length} open{dustCount > 0 && <> · {dustCount} dust</>} ·{' '}
          <Num text={signedMoney(total)} unit={quote} signOf={total} value={total} testId="positions-unrealized" />
        </span>
      }
    >
      <div className="table-wrap">
        <table className="grid" data-testid="positions-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Symbol</th>
              <th className="r">Amount</th>
              <th className="r">Entry</th>
              <th className="r">Current</th>
              <th className="r">Unrealised P&amp;L</th>
              <th className="r">Stop loss</th>
              <th className="r">Take profit</th>
              <th>Opened</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {positions.length === 0 && (
              <tr>
                <td colSpan={10} className="empty" data-testid="positions-empty">
                  No open positions
                </td>
              </tr>
            )}
            {positions.map((p) => (
              <tr
                key={p.id}
                data-testid={p.dust ? 'position-dust-row' : 'position-row'}
                data-position-id={p.id}
                data-amount={p.amount}
                className={p.dust ? 'dust' : undefined}
              >
                <td className="num muted">{p.id}</td>
                <td>
                  {p.symbol} <span className="side-long">{p.side}</span>
                </td>
                <td className="r num">{amount(p.amount)}</td>
                <td className="r num">{price(p.entry_price)}</td>
                <td className="r num">{price(p.current_price)}</td>
                <td className="r">
                  <Num text={signedMoney(p.unrealized_pnl)} unit={quote} signOf={p.unrealized_pnl} />{' '}
                  <Num text={signedPct(pnlPct(p))} signOf={p.unrealized_pnl} />
                </td>
                <td className="r num sl">{price(p.stop_loss_price)}</td>
                <td className="r num tp">{price(p.take_profit_price)}</td>
                <td className="num muted">{dateTime(p.opened_at)}</td>
                <td className="r">
                  {p.dust ? (
                    <span
                      className="muted"
                      title="under the market minimum: the exchange will not sell it; sell it by hand, then write it off (POST /bot/positions/:id/write-off)"
                    >
                      dust
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="btn-small"
                      data-testid="position-close"
                      disabled={closing.includes(p.id)}
                      onClick={() => setConfirming(p)}
                    >
                      {closing.includes(p.id) ? 'Closing…' : 'Close'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Close position #${confirming.id}?`}
          confirmLabel="Close at market"
          danger
          onConfirm={() => doClose(confirming)}
          onCancel={() => setConfirming(null)}
        >
          Sell {amount(confirming.amount)} {confirming.symbol.split('/')[0]} at market (entry {price(confirming.entry_price)}, now{' '}
          {price(confirming.current_price)}, unrealised {signedMoney(confirming.unrealized_pnl)} {quote}). Its stop-loss and take-profit
          orders are cancelled. The bot keeps running and may open new positions.
        </ConfirmDialog>
      )}
    </Panel>
  );
}
