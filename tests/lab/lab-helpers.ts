// The lab's test bed: the real runtime and API server on a real socket, downloads through the real ccxt against the
// binance emulator serving the fixture candles (ALT/BTC 1m with its gaps, XRP/USDT 5m).
import { readFileSync } from 'node:fs';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { DEFAULT_SYMBOLS } from '../exchange-emulator/market-data';
import { ALT_1M, XRP_5M } from '../helpers/candles';
import { waitFor } from '../helpers/wait';
import type { Job } from '../../src-shared/contract';

export type Row = [number, number, number, number, number, number];
export const altRows = (): Row[] => JSON.parse(readFileSync(ALT_1M, 'utf8')) as Row[];
export const xrpRows = (): Row[] => JSON.parse(readFileSync(XRP_5M, 'utf8')) as Row[];

export async function startLabEmulator(): Promise<BinanceEmulator> {
  const emu = await startBinanceEmulator({
    symbols: [
      ...DEFAULT_SYMBOLS,
      { base: 'ALT', quote: 'BTC', tickSize: '0.00000001', stepSize: '1', minNotional: '0.0001', price: 0.0016 },
    ],
  });
  emu.setCandles('ALT/BTC', '1m', altRows());
  emu.setCandles('XRP/USDT', '5m', xrpRows());
  return emu;
}

export function startLabApi(emu: BinanceEmulator, dataDir?: string): Promise<ApiHarness> {
  return startApi({
    dataDir,
    runtime: {
      exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
      lab: { threads: 2, retry: { attempts: 4, baseMs: 50 } },
    },
  });
}

export const FINISHED = ['done', 'failed', 'cancelled'];

/** the job once it has finished (done, failed or cancelled) */
export async function finishedJob(h: ApiHarness, id: number, timeoutMs = 90_000): Promise<Job> {
  return waitFor(
    async () => {
      const r = await h.call<Job>('GET', `/jobs/${id}`);
      return FINISHED.includes(r.body.state) ? r.body : null;
    },
    `job ${id} to finish`,
    timeoutMs,
    100,
  );
}

/** import a fixture's candles in calls of at most 10,000 */
export async function importRows(h: ApiHarness, symbol: string, timeframe: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    const r = await h.call('POST', '/history/imports', { symbol, timeframe, candles: rows.slice(i, i + 10_000) });
    if (r.status !== 200) throw new Error(`import refused: ${r.text}`);
  }
}

/** runs of missing open times, scanned from the rows */
export function gapsOf(rows: Row[], step: number): { from: number; to: number }[] {
  const gaps: { from: number; to: number }[] = [];
  for (let i = 1; i < rows.length; i++)
    if (rows[i][0] - rows[i - 1][0] > step) gaps.push({ from: rows[i - 1][0] + step, to: rows[i][0] - step });
  return gaps;
}
