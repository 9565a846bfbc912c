// One variant of the engine benchmark in a fresh process: one cold pass, then warm passes; prints one JSON line.
import { DEFAULT_CONFIG } from '../src-shared/contract';
import { runBacktest } from '../src-main/engine/backtest/backtest';
import { handLoopFor } from './hand-loop';
import { repeatedSeries } from './series';

const variant = process.argv[2] as 'hand' | 'engine';
const candles = Number(process.argv[3] ?? 1_000_000);
const passes = Number(process.argv[4] ?? 5);
const series = repeatedSeries(candles);
// the hand loop has no kill switch: same rules means none here either
const config = { ...DEFAULT_CONFIG, max_daily_loss_pct: 0 };

const once = async (): Promise<number> => {
  if (variant === 'hand') {
    return handLoopFor(series, config).trades.length;
  }
  return (await runBacktest({ series, config })).trades.length;
};

const times: number[] = [];
// CPU time of the process per pass too (the collector's helper threads included): steadier than wall time on a shared
// machine, where a pass may wait for a core
const cpuTimes: number[] = [];
let trades = 0;
for (let i = 0; i <= passes; i++) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  trades = await once();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  if (i > 0) {
    times.push(ms); // the first pass is the cold one
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
}
const medianOf = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const median = medianOf(times);
process.stdout.write(
  JSON.stringify({
    variant,
    candles: series.count,
    trades,
    medianMs: median,
    medianCpuMs: medianOf(cpuTimes),
    candlesPerSec: series.count / (median / 1000),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
