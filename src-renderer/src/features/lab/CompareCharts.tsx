import { CandlestickSeries, createSeriesMarkers, LineSeries, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { useEffect, useMemo, useState } from 'react';
import type { Candle, EquityPoint, Trade } from '../../../../src-shared/contract';
import { priceDecimals } from '../../components/format';
import { palette } from '../../charts/chart-theme';
import { equityLineData, toChartTime } from '../../charts/chart-data';
import { tradeMarkers } from '../../charts/PriceChart';
import { useChart } from '../../charts/useChart';

/** the baseline's colour: the bot's current config, drawn quieter than the run under study */
export const BASELINE_COLOR = '#f5a524';

/** the whole run in view, again once the chart has its laid-out width (the first fit can see a narrower box) */
function fitWhole(chart: IChartApi) {
  // a run's curve has up to 2,000 points: let them share a narrow chart (the default keeps half a pixel each)
  chart.applyOptions({ timeScale: { minBarSpacing: 0.01 } });
  chart.timeScale().fitContent();
  requestAnimationFrame(() => {
    try {
      chart.timeScale().fitContent();
    } catch {
      // the chart left the page before the frame
    }
  });
}

/** Two equity curves on one time axis: the run (accent) over the bot's current config (amber). */
export function CompareEquityChart({ run, baseline }: { run: EquityPoint[]; baseline: EquityPoint[] | null }) {
  const { ref, chart } = useChart();
  const [series, setSeries] = useState<{ run: ISeriesApi<'Line'>; baseline: ISeriesApi<'Line'> } | null>(null);
  useEffect(() => {
    if (!chart) return;
    const price = { type: 'price' as const, precision: 2, minMove: 0.01 };
    const baselineSeries = chart.addSeries(LineSeries, { color: BASELINE_COLOR, lineWidth: 2, priceFormat: price, title: 'current' });
    const runSeries = chart.addSeries(LineSeries, { color: palette.accent, lineWidth: 2, priceFormat: price, title: 'run' });
    setSeries({ run: runSeries, baseline: baselineSeries });
    return () => setSeries(null);
  }, [chart]);
  useEffect(() => {
    if (!series || !chart) return;
    series.run.setData(equityLineData(run));
    series.baseline.setData(baseline ? equityLineData(baseline) : []);
    fitWhole(chart);
  }, [series, chart, run, baseline]);
  return (
    <div
      className="chart chart-short"
      ref={ref}
      data-testid="compare-equity"
      data-run-points={run.length}
      data-baseline-points={baseline?.length ?? 0}
    />
  );
}

/** The run's candles with its entries and exits marked, as the dashboard's price chart marks the bot's. */
export function RunPriceChart({ candles, trades, barMs }: { candles: Candle[]; trades: Trade[]; barMs: number }) {
  const { ref, chart } = useChart();
  const [series, setSeries] = useState<ISeriesApi<'Candlestick'> | null>(null);
  const markers = useMemo(() => tradeMarkers(trades, candles, barMs), [trades, candles, barMs]);
  useEffect(() => {
    if (!chart) return;
    setSeries(
      chart.addSeries(CandlestickSeries, {
        upColor: palette.up,
        downColor: palette.down,
        borderVisible: false,
        wickUpColor: palette.up,
        wickDownColor: palette.down,
      }),
    );
    return () => setSeries(null);
  }, [chart]);
  useEffect(() => {
    if (!series || !chart) return;
    const decimals = candles.length ? priceDecimals(candles[candles.length - 1].close) : 2;
    series.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 1 / 10 ** decimals } });
    series.setData(candles.map((c) => ({ time: toChartTime(c.ts), open: c.open, high: c.high, low: c.low, close: c.close })));
    const m = createSeriesMarkers(series, markers);
    fitWhole(chart);
    return () => m.detach();
  }, [series, chart, candles, markers]);
  return <div className="chart" ref={ref} data-testid="compare-price" data-candles={candles.length} data-markers={markers.length} />;
}
