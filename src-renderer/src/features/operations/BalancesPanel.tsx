import { amount, money } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useDashboardStore, useQuote } from '../../stores/dashboard-context';

/** Free, held (by resting orders) and total of the market's base and quote. */
export function BalancesPanel() {
  const balances = useDashboardStore('balances', (s) => s.balances);
  const error = useDashboardStore('balances', (s) => s.error);
  const quote = useQuote();
  return (
    <Panel title="Balances" testId="balances">
      <table className="grid compact">
        <thead>
          <tr>
            <th>Asset</th>
            <th className="r">Free</th>
            <th className="r">In orders</th>
            <th className="r">Total</th>
          </tr>
        </thead>
        <tbody>
          {balances.map((b) => {
            // money in the quote currency reads in cents, like every other money figure
            const fmt = b.asset === quote ? money : amount;
            return (
              <tr key={b.asset} data-testid="balance-row" data-asset={b.asset} data-free={b.free} data-used={b.used} data-total={b.total}>
                <td>{b.asset}</td>
                <td className="r num">{fmt(b.free)}</td>
                <td className="r num muted">{fmt(b.used)}</td>
                <td className="r num">{fmt(b.total)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && (
        <div className="field-error" data-testid="balances-error">
          {error}
        </div>
      )}
    </Panel>
  );
}
