/**
 * `botdesk history import FILE [SYMBOL TIMEFRAME] [--exchange ID]`: a candle file in the backtest CLI's format into
 * the bot's history (docs/contract.md §11), read and checked here, sent in calls of at most 10,000 candles (a request
 * body stays under the API's 1 MiB). The market comes from the file's name (`BASE_QUOTE-TF.json`) unless given.
 */
import type { BotClient } from '../../../src-shared/api-client/bot-client';
import { MAX_IMPORT_CANDLES, type HistorySet, type ImportRequest } from '../../../src-shared/contract';
import { CANDLE_STRIDE, CandleFileError, loadCandleFile, marketFromFileName } from '../../engine/feeds/candle-file';
import { UsageError } from './errors';

export const IMPORT_USAGE = 'usage: botdesk history import FILE [SYMBOL TIMEFRAME] [--exchange ID]';

export interface ImportArgs {
  file: string;
  symbol?: string;
  timeframe?: string;
  exchange?: string;
}

export async function importCandleFile(
  client: BotClient,
  a: ImportArgs,
  say: (line: string) => void,
): Promise<{ set: HistorySet | null; added: number }> {
  let series;
  let named;
  try {
    series = loadCandleFile(a.file);
    named = marketFromFileName(a.file, series);
  } catch (e) {
    if (e instanceof CandleFileError) throw new UsageError(e.message, IMPORT_USAGE);
    throw e;
  }
  const symbol = a.symbol ?? named?.symbol;
  const timeframe = a.timeframe ?? named?.timeframe;
  if (!symbol || !timeframe) throw new UsageError(`the file's name does not say its market: give SYMBOL TIMEFRAME`, IMPORT_USAGE);
  let added = 0;
  let set: HistorySet | null = null;
  for (let first = 0; first < series.count; first += MAX_IMPORT_CANDLES) {
    const last = Math.min(series.count, first + MAX_IMPORT_CANDLES);
    const candles: ImportRequest['candles'] = [];
    for (let i = first; i < last; i++)
      candles.push(Array.from(series.data.subarray(i * CANDLE_STRIDE, (i + 1) * CANDLE_STRIDE)) as ImportRequest['candles'][number]);
    const body = { symbol, timeframe, candles, ...(a.exchange ? { exchange: a.exchange } : {}) } as ImportRequest;
    const r = await client.importCandles({ body });
    added += r.added;
    set = r.set;
    say(`sent ${last} of ${series.count} candles`);
  }
  return { set, added };
}
