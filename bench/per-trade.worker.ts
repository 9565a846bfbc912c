// The engine's per-trade path alone (docs/benchmarks.md, engine, fourth round): entry at market, its protection
// rested, then out by the exit signal, the take-profit or the stop, through the same Executor and PaperExchange a
// backtest runs, with no candles and no strategy in between. Prints CPU µs a trade (min and median of 20 warm passes);
// profile it as a bundle (esbuild, as the engine section says) with --cpu-prof or the sampling heap profiler.
import { PaperExchange } from '../src-main/engine/adapters/paper/paper.exchange';
import { Executor } from '../src-main/engine/execution/executor';
import { MemoryJournal } from '../src-main/engine/ports/journal.port';
import { paperMarketRules } from '../src-main/engine/market/precision';

const TRADES = Number(process.argv[2] ?? 20_000);

function pass(): void {
  const rules = paperMarketRules('BTC/USDT', 50_000);
  const exchange = new PaperExchange({ rules, startingQuote: 1e12, feePct: 0.1, slippagePct: 0.05 });
  const journal = new MemoryJournal(false);
  const executor = new Executor(exchange, journal, rules);
  const candle = new Float64Array(5);
  let ts = 1.7e12;
  const setCandle = (open: number, high: number, low: number, close: number) => {
    ts += 60_000;
    candle[0] = ts;
    candle[1] = open;
    candle[2] = high;
    candle[3] = low;
    candle[4] = close;
    executor.now = ts;
  };
  for (let i = 0; i < TRADES; i++) {
    const p = 50_000 + (i % 97);
    setCandle(p, p, p, p);
    exchange.onCandleAt(candle, 0);
    executor.enter({ amount: 0.01, stopLossPct: 1.5, takeProfitPct: 3 });
    if (i % 2 === 0) {
      setCandle(p, p, p, p);
      exchange.onCandleAt(candle, 0);
      executor.exitEvery('signal');
    } else {
      // every other one of these reaches the take-profit, the rest the stop
      if (i % 4 === 1) setCandle(p, p * 1.05, p, p);
      else setCandle(p, p, p * 0.95, p);
      if (exchange.onCandleAt(candle, 0)) executor.applyUpdates(exchange.takeUpdates());
    }
  }
  if (journal.trades.length !== TRADES || executor.openPositionCount !== 0) throw new Error('a trade went missing');
}

const micros: number[] = [];
for (let i = 0; i < 25; i++) {
  const before = process.cpuUsage();
  pass();
  const cpu = process.cpuUsage(before);
  if (i >= 5) micros.push((cpu.user + cpu.system) / TRADES); // the first five warm the compiler up
}
micros.sort((a, b) => a - b);
const median = micros[Math.floor(micros.length / 2)];
process.stdout.write(JSON.stringify({ trades: TRADES, minUsPerTrade: micros[0], medianUsPerTrade: median }) + '\n');
