import { money, pct, signedMoney } from '../../components/format';
import { Num } from '../../components/Num';
import { useDashboardStore, useQuote } from '../../stores/dashboard-context';
import { openTotals } from '../../stores/positions.store';

/**
 * Performance figures in one dense block. Trade figures come from the stats (folded with each trade event); what open
 * positions add (unrealised P&L, entry fees) from the positions panel's own list, so no figure has two sources.
 */
export function StatsStrip() {
  const stats = useDashboardStore('status', (s) => s.stats);
  const positions = useDashboardStore('positions', (s) => s.positions);
  const quote = useQuote();
  if (!stats) return null;
  const open = openTotals(positions);
  const fees = stats.trade_fees + open.entryFees;
  return (
    <section className="panel stats" data-testid="stats" aria-label="Performance">
      <dl className="kv">
        <dt>Realised P&amp;L</dt>
        <dd>
          <Num
            text={signedMoney(stats.realized_pnl)}
            unit={quote}
            signOf={stats.realized_pnl}
            testId="stats-realized"
            value={stats.realized_pnl}
          />
        </dd>
        <dt>Unrealised</dt>
        <dd>
          <Num
            text={signedMoney(open.unrealized)}
            unit={quote}
            signOf={open.unrealized}
            testId="stats-unrealized"
            value={open.unrealized}
          />
        </dd>
        <dt>Fees paid</dt>
        <dd>
          <Num text={money(fees)} unit={quote} testId="stats-fees" value={fees} />
        </dd>
        <dt>Trades (W/L)</dt>
        <dd>
          <span
            className="num"
            data-testid="stats-trades"
            data-count={stats.trades_count}
            data-wins={stats.wins}
            data-losses={stats.losses}
          >
            {stats.trades_count} ({stats.wins}/{stats.losses})
          </span>
        </dd>
        <dt>Win rate</dt>
        <dd>
          <Num text={pct(stats.win_rate * 100, 1)} />
        </dd>
        <dt>Profit factor</dt>
        <dd>
          <Num text={stats.profit_factor === null ? '—' : stats.profit_factor.toFixed(2)} />
        </dd>
        <dt>Max drawdown</dt>
        <dd>
          <Num text={pct(stats.max_drawdown_pct)} />
        </dd>
      </dl>
    </section>
  );
}
