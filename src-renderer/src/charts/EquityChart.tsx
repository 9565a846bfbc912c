import { AreaSeries, type ISeriesApi } from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { money, signedMoney } from '../components/format';
import { Num } from '../components/Num';
import { Panel } from '../components/Panel';
import { useDashboardStore, useQuote } from '../stores/dashboard-context';
import { palette } from './chart-theme';
import { equityLineData, syncSeries } from './chart-data';
import { useChart } from './useChart';

/** Equity curve: history from GET /bot/equity, extended as the bot runs. */
export function EquityChart() {
  const points = useDashboardStore('market', (s) => s.equity);
  const startEquity = useDashboardStore('status', (s) => s.stats?.start_equity ?? null);
  // the headline is the status card's figure (the curve's newest point is the same one)
  const current = useDashboardStore('status', (s) => s.status?.equity ?? null);
  const quote = useQuote();
  const { ref, chart } = useChart();
  const [series, setSeries] = useState<ISeriesApi<'Area'> | null>(null);
  const shown = useRef({ first: null as number | null, last: null as number | null, count: 0 });

  useEffect(() => {
    if (!chart) return;
    const s = chart.addSeries(AreaSeries, {
      lineColor: palette.accent,
      topColor: 'rgba(74,163,255,0.28)',
      bottomColor: 'rgba(74,163,255,0.02)',
      lineWidth: 2,
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    });
    shown.current = { first: null, last: null, count: 0 };
    setSeries(s);
    return () => setSeries(null);
  }, [chart]);

  const data = useMemo(() => equityLineData(points), [points]);

  useEffect(() => {
    if (series) syncSeries(series, data, shown.current);
  }, [series, data]);

  const change = current !== null && startEquity !== null ? current - startEquity : null;
  return (
    <Panel
      title="Equity"
      testId="equity-chart"
      className="chart-panel"
      aside={
        <span>
          <Num text={money(current)} unit={quote} testId="equity-current" value={current} />{' '}
          <Num text={signedMoney(change)} signOf={change} />
        </span>
      }
    >
      <div
        className="chart chart-short"
        ref={ref}
        data-testid="equity-chart-canvas"
        data-points={points.length}
        data-last={points.length ? points[points.length - 1].equity : undefined}
      />
    </Panel>
  );
}
