import { createChart, type IChartApi } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { chartOptions } from './chart-theme';

/** Creates a chart in the returned ref's element for the component's lifetime. */
export function useChart() {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<IChartApi | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = createChart(ref.current, chartOptions);
    setChart(c);
    return () => {
      setChart(null);
      // a frame the chart already asked for (a resize, a repaint) still runs after an immediate remove() and throws
      // "Object is disposed" (lightweight-charts 5): let it run, then remove the chart
      requestAnimationFrame(() => c.remove());
    };
  }, []);
  return { ref, chart };
}
