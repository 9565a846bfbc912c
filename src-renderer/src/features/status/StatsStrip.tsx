import { money, pct, signedMoney } from '../../components/format';
import { Num } from '../../components/Num';
import { useDashboardStore } from '../../stores/dashboard-context';

/** Performance figures in one dense block. */
export function StatsStrip() {
  const stats = useDashboardStore('status', (s) => s.stats);
  if (!stats) return null;
  return (
    <section className="panel stats" data-testid="stats" aria-label="Performance">
      <dl className="kv">
        <dt>Realised P&amp;L</dt>
        <dd><Num text={signedMoney(stats.realized_pnl)} unit="USDT" signOf={stats.realized_pnl} testId="stats-realized" /></dd>
        <dt>Unrealised</dt>
        <dd><Num text={signedMoney(stats.unrealized_pnl)} unit="USDT" signOf={stats.unrealized_pnl} /></dd>
        <dt>Fees paid</dt>
        <dd><Num text={money(stats.fees_paid)} unit="USDT" /></dd>
        <dt>Trades (W/L)</dt>
        <dd><span className="num" data-testid="stats-trades">{stats.trades_count} ({stats.wins}/{stats.losses})</span></dd>
        <dt>Win rate</dt>
        <dd><Num text={pct(stats.win_rate * 100, 1)} /></dd>
        <dt>Profit factor</dt>
        <dd><Num text={stats.profit_factor === null ? '—' : stats.profit_factor.toFixed(2)} /></dd>
        <dt>Max drawdown</dt>
        <dd><Num text={pct(stats.max_drawdown_pct)} /></dd>
      </dl>
    </section>
  );
}
