/**
 * A lab worker thread (docs/contract.md §11): downloads candles or runs backtests, never on the bot's thread.
 * It opens its own connection to the lab database and answers in lab-protocol messages.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Exchange } from 'ccxt';
import { openLabDatabase } from './lab-database';
import { CandleStore } from './candle-store';
import { downloadCandles } from './candle-download';
import { runOne } from './lab-runs';
import type { DownloadCommand, DownloadMessage, RunMessage, RunRequest, WorkerTask } from './lab-protocol';
import { errorLine } from '../log/redact';

if (!parentPort) throw new Error('lab.worker runs only as a worker thread');
const port = parentPort;
const task = workerData as WorkerTask;

/** every download at once on one ccxt client (its rate limiter spaces their requests), markets loaded once */
function downloads(t: Extract<WorkerTask, { type: 'downloads' }>): void {
  const say = (m: DownloadMessage) => port.postMessage(m);
  const db = openLabDatabase(t.dataDir);
  const store = new CandleStore(db);
  const stopping = new Set<number>();
  let exchange: Promise<Exchange> | null = null;
  const client = () =>
    (exchange ??= import('../adapters/ccxt/open-exchange')
      .then(({ openExchange }) => openExchange(t.exchange))
      .catch((e: unknown) => {
        exchange = null; // the next download asks again
        throw e;
      }));

  async function download(c: Extract<DownloadCommand, { type: 'download' }>): Promise<void> {
    let ex: Exchange;
    try {
      // public endpoints only: a download needs no keys, in paper mode or live
      ex = await client();
    } catch (e) {
      say({ task: c.task, type: 'unreachable', message: errorLine(e) });
      return;
    }
    if (!ex.markets?.[c.symbol]) {
      say({ task: c.task, type: 'refused', field: 'symbol', message: `${t.exchange.id} has no market ${c.symbol}` });
      return;
    }
    if (ex.timeframes && !(c.timeframe in ex.timeframes)) {
      say({ task: c.task, type: 'refused', field: 'timeframe', message: `${t.exchange.id} has no ${c.timeframe} candles` });
      return;
    }
    const setId = store.setId({ exchange: t.exchange.id, symbol: c.symbol, timeframe: c.timeframe }, true);
    say({ task: c.task, type: 'market_ok', setId });
    let told = 0;
    const outcome = await downloadCandles({
      exchange: ex,
      store,
      spec: { setId, symbol: c.symbol, timeframe: c.timeframe, from: c.from, to: c.to },
      now: () => Date.now(),
      retry: t.retry,
      cancelled: () => stopping.has(c.task),
      onProgress: (p) => {
        // a few messages a second at most: the main thread turns each into an event
        const now = Date.now();
        if (now - told < 200 && p < 1) return;
        told = now;
        say({ task: c.task, type: 'progress', progress: p });
      },
    });
    say({ task: c.task, type: 'downloaded', ...outcome });
  }

  port.on('message', (c: DownloadCommand) => {
    if (c.type === 'stop') stopping.add(c.task);
    else
      download(c)
        .catch((e) => say({ task: c.task, type: 'failed', message: errorLine(e) }))
        .finally(() => stopping.delete(c.task));
  });
}

function runs(t: Extract<WorkerTask, { type: 'runs' }>): void {
  // a sweep uses every core; the bot's thread must still get one the moment a candle closes. On Linux a thread's
  // nice value is its own (setpriority on "0" is the calling thread): these yield to the bot. Elsewhere it would
  // lower the whole app, so they run at normal priority there.
  if (process.platform === 'linux') setPriority(0, 10);
  const say = (m: RunMessage) => port.postMessage(m);
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

if (task.type === 'downloads') downloads(task);
else runs(task);
