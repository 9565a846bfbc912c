import { memo, useState } from 'react';
import { quoteOf, type Trade } from '../../../../src-shared/contract';
import { amount, dateTime, fromLocalInput, price, signedMoney, signedPct, toLocalInput } from '../../components/format';
import { Num } from '../../components/Num';
import { Panel } from '../../components/Panel';
import { useDashboard, useDashboardStore, useQuote } from '../../stores/dashboard-context';

const REASONS: Record<Trade['exit_reason'], string> = {
  stop_loss: 'stop loss',
  take_profit: 'take profit',
  signal: 'signal',
  manual: 'manual',
  close_all: 'close all',
  trailing_stop: 'trailing stop',
};

const TradeRow = memo(function TradeRow({ t }: { t: Trade }) {
  return (
    <tr data-testid="trade-row" data-trade-id={t.id}>
      <td className="num muted">{t.id}</td>
      <td>{t.symbol}</td>
      <td className="r num">{amount(t.amount)}</td>
      <td className="r num">{price(t.entry_price)}</td>
      <td className="r num">{price(t.exit_price)}</td>
      <td className="num muted">{dateTime(t.entry_time)}</td>
      <td className="num muted">{dateTime(t.exit_time)}</td>
      <td className={`reason reason-${t.exit_reason}`}>{REASONS[t.exit_reason]}</td>
      <td className="r">
        <Num text={signedMoney(t.fee > 0 ? -t.fee : 0)} />
      </td>
      <td className="r">
        <Num text={signedMoney(t.pnl)} unit={quoteOf(t.symbol)} signOf={t.pnl} />
      </td>
      <td className="r">
        <Num text={signedPct(t.pnl_pct)} signOf={t.pnl} />
      </td>
      <td className="r num muted">v{t.config_version}</td>
    </tr>
  );
});

function FilterBar() {
  const { report } = useDashboard();
  const filter = useDashboardStore('trades', (s) => s.filter);
  const load = useDashboardStore('trades', (s) => s.load);
  const [from, setFrom] = useState(toLocalInput(filter.from));
  const [to, setTo] = useState(toLocalInput(filter.to));
  const apply = (f: string, t: string) => load({ from: fromLocalInput(f), to: fromLocalInput(t) }).catch(report);
  return (
    <form
      className="filter-bar"
      onSubmit={(e) => {
        e.preventDefault();
        void apply(from, to);
      }}
    >
      <label>
        From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="trades-from" />
      </label>
      <label>
        To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="trades-to" />
      </label>
      <button type="submit" className="btn-small" data-testid="trades-apply">
        Apply
      </button>
      <button
        type="button"
        className="btn-small"
        onClick={() => {
          setFrom('');
          setTo('');
          void apply('', '');
        }}
      >
        Clear
      </button>
    </form>
  );
}

/** Closed trades, newest first, one server page at a time. */
export function TradeHistory() {
  const { report } = useDashboard();
  const s = useDashboardStore('trades', (st) => st);
  const quote = useQuote();
  const page = s.cursors.length;
  const pages = Math.max(1, Math.ceil(s.total / s.pageSize));
  return (
    <Panel
      title="Trade history"
      testId="trades"
      className="trades-panel"
      aside={
        <span className="muted" data-testid="trades-totals">
          <span data-testid="trades-total">{s.total}</span> trades · total{' '}
          <Num text={signedMoney(s.totalPnl)} unit={quote} signOf={s.totalPnl} value={s.totalPnl} testId="trades-total-pnl" />
        </span>
      }
    >
      <FilterBar />
      <div className="table-wrap">
        <table className="grid" data-testid="trades-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Symbol</th>
              <th className="r">Amount</th>
              <th className="r">Entry</th>
              <th className="r">Exit</th>
              <th>Entered</th>
              <th>Exited</th>
              <th>Reason</th>
              <th className="r">Fee</th>
              <th className="r">P&amp;L</th>
              <th className="r">P&amp;L %</th>
              <th className="r">Cfg</th>
            </tr>
          </thead>
          <tbody>
            {s.rows.length === 0 && (
              <tr>
                <td colSpan={12} className="empty">
                  {s.loading ? 'Loading…' : 'No trades in this range'}
                </td>
              </tr>
            )}
            {s.rows.map((t) => (
              <TradeRow key={t.id} t={t} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button
          type="button"
          className="btn-small"
          data-testid="trades-prev"
          disabled={page <= 1 || s.loading}
          onClick={() => s.prevPage().catch(report)}
        >
          ‹ Newer
        </button>
        <span className="muted num" data-testid="trades-page">
          page {page} of {pages}
        </span>
        <button
          type="button"
          className="btn-small"
          data-testid="trades-next"
          disabled={!s.nextCursor || s.loading}
          onClick={() => s.nextPage().catch(report)}
        >
          Older ›
        </button>
        {s.error && <span className="field-error">{s.error}</span>}
      </div>
    </Panel>
  );
}
