/**
 * A lab worker thread (docs/contract.md §11): downloads candles or runs backtests, never on the bot's thread.
 * It opens its own connection to the lab database and answers in lab-protocol messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLabDatabase } from './lab-database';
import { CandleStore } from './candle-store';
import { downloadCandles } from './candle-download';
import { runOne } from './lab-runs';
import type { RunRequest, WorkerMessage, WorkerTask } from './lab-protocol';
import { errorLine } from '../log/redact';

if (!parentPort) throw new Error('lab.worker runs only as a worker thread');
const port = parentPort;
const say = (m: WorkerMessage) => port.postMessage(m);
const task = workerData as WorkerTask;

async function download(t: Extract<WorkerTask, { type: 'download' }>): Promise<void> {
  let stopping = false;
  port.on('message', (m: RunRequest) => {
    if (m.type === 'stop') stopping = true;
  });
  const { openExchange } = await import('../adapters/ccxt/open-exchange');
  let exchange;
  try {
    // public endpoints only: a download needs no keys, in paper mode or live
    exchange = await openExchange(t.exchange);
  } catch (e) {
    say({ type: 'unreachable', message: errorLine(e) });
    return;
  }
  if (!exchange.markets?.[t.symbol]) {
    say({ type: 'refused', field: 'symbol', message: `${t.exchange.id} has no market ${t.symbol}` });
    return;
  }
  if (exchange.timeframes && !(t.timeframe in exchange.timeframes)) {
    say({ type: 'refused', field: 'timeframe', message: `${t.exchange.id} has no ${t.timeframe} candles` });
    return;
  }
  const db = openLabDatabase(t.dataDir);
  try {
    const store = new CandleStore(db);
    const setId = store.setId({ exchange: t.exchange.id, symbol: t.symbol, timeframe: t.timeframe }, true);
    say({ type: 'market_ok', setId });
    let told = 0;
    const outcome = await downloadCandles({
      exchange,
      store,
      spec: { setId, symbol: t.symbol, timeframe: t.timeframe, from: t.from, to: t.to },
      now: () => Date.now(),
      retry: t.retry,
      cancelled: () => stopping,
      onProgress: (p) => {
        // a few messages a second at most: the main thread turns each into an event
        const now = Date.now();
        if (now - told < 200 && p < 1) return;
        told = now;
        say({ type: 'progress', progress: p });
      },
    });
    say({ type: 'downloaded', ...outcome });
  } finally {
    db.close();
  }
}

async function runs(t: Extract<WorkerTask, { type: 'runs' }>): Promise<void> {
  const db = openLabDatabase(t.dataDir);
  const series = new CandleStore(db).series(t.setId, t.from, t.to);
  db.close();
  say({ type: 'ready', candles: series.count });
  port.on('message', (m: RunRequest) => {
    if (m.type === 'stop') {
      port.close();
      return;
    }
    runOne({ series, split: t.split, config: m.config, full: m.full }).then(
      (r) => say({ type: 'run_done', index: m.index, ...r }),
      (e) => say({ type: 'failed', message: errorLine(e) }),
    );
  });
}

(task.type === 'download' ? download(task) : runs(task)).catch((e) => say({ type: 'failed', message: errorLine(e) }));
