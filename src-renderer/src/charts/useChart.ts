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
      c.remove();
    };
  }, []);
  return { ref, chart };
}
