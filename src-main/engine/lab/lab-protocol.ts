/**
 * What the lab's main side and its worker threads say to each other: one long-lived download worker (I/O: every
 * download shares its ccxt client and loaded markets), and a few runs workers per backtest or sweep (CPU).
 * Plain data only: it crosses the thread boundary by structured clone.
 */
import type { BacktestResultData, BotConfig, Stats, Timeframe } from '../../../src-shared/contract';
import type { ExchangeSpec } from '../adapters/ccxt/open-exchange';
import type { RetryPolicy } from './candle-download';

export type WorkerTask =
  | { type: 'downloads'; dataDir: string; exchange: ExchangeSpec; retry?: RetryPolicy }
  | {
      /** run configs over a range of a set; the candles are read once, the runs come one message at a time */
      type: 'runs';
      dataDir: string;
      setId: number;
      from: number;
      to: number;
      /** open time where the out-of-sample part starts (null: no split) */
      split: number | null;
    };

/** main → the download worker */
export type DownloadCommand =
  { type: 'download'; task: number; symbol: string; timeframe: Timeframe; from: number; to: number } | { type: 'stop'; task: number };

/** the download worker → main, about one task */
export type DownloadMessage = { task: number } & (
  | { type: 'market_ok'; setId: number }
  | { type: 'refused'; field: 'symbol' | 'timeframe'; message: string }
  | { type: 'unreachable'; message: string }
  | { type: 'progress'; progress: number }
  | { type: 'downloaded'; added: number; requests: number }
  | { type: 'failed'; message: string }
);

/** main → a runs worker */
export type RunRequest = { type: 'run'; index: number; config: BotConfig; full: boolean } | { type: 'stop' };

/** a runs worker → main */
export type RunMessage =
  | { type: 'ready'; candles: number }
  | { type: 'run_done'; index: number; in_sample: Stats; out_of_sample: Stats | null; full?: BacktestResultData }
  | { type: 'failed'; message: string };
