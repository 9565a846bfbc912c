import {
  CandlestickSeries,
  createSeriesMarkers,
  LineStyle,
  type IPriceLine,
  type ISeriesApi,
  type SeriesMarker,
  type Time,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { TIMEFRAME_MS, type Candle, type Position, type Timeframe, type Trade } from '../../../src-shared/contract';
import { priceDecimals } from '../components/format';
import { Panel } from '../components/Panel';
import { useDashboardStore } from '../stores/dashboard-context';
import { palette } from './chart-theme';
import { syncSeries, toChartTime } from './chart-data';
import { useChart } from './useChart';

const REASON_TAG: Record<Trade['exit_reason'], string> = {
  stop_loss: 'SL',
  take_profit: 'TP',
  signal: 'X',
  manual: 'M',
  close_all: 'CA',
  trailing_stop: 'TS',
};

/**
 * Entry (below, ▲) and exit (above, ▼) markers for trades inside the candle window, one of each per bar at most:
 * several trades on one bar share a marker ("B×3", "TP·SL"), coloured by their summed P&L, so a busy bar stays legible.
 */
export function tradeMarkers(trades: Trade[], candles: Candle[], timeframeMs: number): SeriesMarker<Time>[] {
  if (!candles.length) return [];
  const first = candles[0].ts;
  const lastEnd = candles[candles.length - 1].ts + timeframeMs;
  const inside = (ts: number) => ts >= first && ts < lastEnd;
  const bucket = (ts: number) => Math.floor(ts / timeframeMs) * timeframeMs;
  const entries = new Map<number, number>();
  const exits = new Map<number, { pnl: number; reasons: Set<string>; count: number }>();
  for (const t of trades) {
    if (inside(t.entry_time)) entries.set(bucket(t.entry_time), (entries.get(bucket(t.entry_time)) ?? 0) + 1);
    if (inside(t.exit_time)) {
      const b = bucket(t.exit_time);
      const e = exits.get(b) ?? { pnl: 0, reasons: new Set<string>(), count: 0 };
      e.pnl += t.pnl;
      e.reasons.add(REASON_TAG[t.exit_reason]);
      e.count++;
      exits.set(b, e);
    }
  }
  const markers: SeriesMarker<Time>[] = [];
  for (const [ts, n] of entries) {
    markers.push({ time: toChartTime(ts), position: 'belowBar', shape: 'arrowUp', color: palette.accent, text: n > 1 ? `B×${n}` : 'B' });
  }
  for (const [ts, e] of exits) {
    const text = [...e.reasons].join('·') + (e.count > 1 ? `×${e.count}` : '');
    markers.push({ time: toChartTime(ts), position: 'aboveBar', shape: 'arrowDown', color: e.pnl >= 0 ? palette.up : palette.down, text });
  }
  return markers.sort((a, b) => (a.time as number) - (b.time as number));
}

function positionLines(series: ISeriesApi<'Candlestick'>, positions: Position[]): IPriceLine[] {
  const lines: IPriceLine[] = [];
  for (const p of positions) {
    // the entry line carries no axis label: with several positions the SL/TP labels are what matters
    lines.push(
      series.createPriceLine({
        price: p.entry_price,
        color: palette.entry,
        lineStyle: LineStyle.Dotted,
        lineWidth: 1,
        axisLabelVisible: false,
        title: '',
      }),
    );
    lines.push(
      series.createPriceLine({
        price: p.stop_loss_price,
        color: palette.down,
        lineStyle: LineStyle.Dashed,
        lineWidth: 1,
        title: `SL #${p.id}`,
      }),
    );
    lines.push(
      series.createPriceLine({
        price: p.take_profit_price,
        color: palette.up,
        lineStyle: LineStyle.Dashed,
        lineWidth: 1,
        title: `TP #${p.id}`,
      }),
    );
  }
  return lines;
}

/** Candles of the traded market with trade markers and the open positions' entry / SL / TP lines. */
export function PriceChart() {
  const candles = useDashboardStore('market', (s) => s.candles);
  const symbol = useDashboardStore('market', (s) => s.symbol);
  const timeframe = useDashboardStore('market', (s) => s.timeframe);
  const trades = useDashboardStore('market', (s) => s.chartTrades);
  const positions = useDashboardStore('positions', (s) => s.positions);
  const { ref, chart } = useChart();
  const [series, setSeries] = useState<ISeriesApi<'Candlestick'> | null>(null);
  const markersApi = useRef<ReturnType<typeof createSeriesMarkers<Time>> | null>(null);
  const shown = useRef({ first: null as number | null, last: null as number | null, count: 0 });
  const tfMs = TIMEFRAME_MS[timeframe as Timeframe] ?? 60_000;

  useEffect(() => {
    if (!chart) return;
    const s = chart.addSeries(CandlestickSeries, {
      upColor: palette.up,
      downColor: palette.down,
      borderVisible: false,
      wickUpColor: palette.up,
      wickDownColor: palette.down,
    });
    markersApi.current = createSeriesMarkers(s, []);
    setSeries(s);
    shown.current = { first: null, last: null, count: 0 };
    return () => {
      markersApi.current = null;
      setSeries(null);
    };
  }, [chart]);

  const data = useMemo(
    () => candles.map((c) => ({ time: toChartTime(c.ts), open: c.open, high: c.high, low: c.low, close: c.close })),
    [candles],
  );
  const markers = useMemo(() => tradeMarkers(trades, candles, tfMs), [trades, candles, tfMs]);

  useEffect(() => {
    if (!series) return;
    const decimals = data.length ? priceDecimals(data[data.length - 1].close) : 2;
    series.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 1 / 10 ** decimals } });
    syncSeries(series, data, shown.current);
  }, [series, data]);

  useEffect(() => {
    markersApi.current?.setMarkers(markers);
  }, [series, markers]);

  useEffect(() => {
    if (!series) return;
    const lines = positionLines(series, positions);
    return () => {
      // on unmount the chart (removed by useChart's cleanup, which runs first) already took its lines with it
      try {
        lines.forEach((l) => series.removePriceLine(l));
      } catch {
        // disposed
      }
    };
  }, [series, positions]);

  return (
    <Panel
      title={`Price ${symbol} · ${timeframe}`}
      testId="price-chart"
      className="chart-panel"
      aside={<span className="muted">▲ entry · ▼ exit · dashed SL/TP</span>}
    >
      <div
        className="chart"
        ref={ref}
        data-testid="price-chart-canvas"
        data-candles={candles.length}
        data-markers={markers.length}
        data-price-lines={positions.length * 3}
      />
    </Panel>
  );
}
