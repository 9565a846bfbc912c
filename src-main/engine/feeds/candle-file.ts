import { readFileSync } from 'node:fs';
import { TIMEFRAME_MS, type Timeframe } from '../../../src-shared/contract';

/** Candles packed flat, 6 numbers each (ts, open, high, low, close, volume): no object per candle. */
export interface CandleSeries {
  data: Float64Array;
  count: number;
}
export const CANDLE_STRIDE = 6;

/** Write one candle at the start of `d` (series layout) and return `d`: for callers that hold numbers, not a series. */
export function writeCandle(d: Float64Array, ts: number, open: number, high: number, low: number, close: number): Float64Array {
  d[0] = ts;
  d[1] = open;
  d[2] = high;
  d[3] = low;
  d[4] = close;
  return d;
}

export class CandleFileError extends Error {}

const FIELD_NAMES = ['timestamp', 'open', 'high', 'low', 'close', 'volume'];

/** Check parsed JSON and pack it; the first problem found is thrown as one line naming the candle and field. */
export function parseCandles(json: unknown, source = 'candle file'): CandleSeries {
  if (!Array.isArray(json)) throw new CandleFileError(`${source}: expected a JSON array of [ts, open, high, low, close, volume]`);
  if (json.length === 0) throw new CandleFileError(`${source}: has no candles`);
  const data = new Float64Array(json.length * CANDLE_STRIDE);
  let prevTs = -Infinity;
  for (let i = 0; i < json.length; i++) {
    const row = json[i];
    const where = `${source}: candle #${i}`;
    if (!Array.isArray(row) || row.length < 6)
      throw new CandleFileError(`${where} must be an array of 6 numbers [ts, open, high, low, close, volume], missing fields`);
    for (let f = 0; f < 6; f++) {
      const v = row[f];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new CandleFileError(`${where}: ${FIELD_NAMES[f]} is not a finite number (${JSON.stringify(v)})`);
      data[i * CANDLE_STRIDE + f] = v;
    }
    const [ts, open, high, low, close, volume] = row as number[];
    if (ts <= prevTs)
      throw new CandleFileError(`${where}: timestamps must increase (got ${ts} after ${prevTs}); sort the file oldest first`);
    if (open <= 0 || high <= 0 || low <= 0 || close <= 0) throw new CandleFileError(`${where}: prices must be positive`);
    if (volume < 0) throw new CandleFileError(`${where}: volume must not be negative`);
    if (high < Math.max(open, close) || low > Math.min(open, close))
      throw new CandleFileError(`${where}: high/low do not contain open and close`);
    prevTs = ts;
  }
  return { data, count: json.length };
}

export function loadCandleFile(path: string): CandleSeries {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CandleFileError(`cannot read candle file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CandleFileError(`candle file ${path} is not valid JSON (${(e as Error).message})`);
  }
  return parseCandles(json, `candle file ${path}`);
}

/** The most common step between candles, when it is a known timeframe (gaps do not fool it). */
export function detectTimeframe(series: CandleSeries): Timeframe | null {
  const counts = new Map<number, number>();
  const n = Math.min(series.count, 500);
  for (let i = 1; i < n; i++) {
    const d = series.data[i * CANDLE_STRIDE] - series.data[(i - 1) * CANDLE_STRIDE];
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount) [best, bestCount] = [d, c];
  const hit = (Object.entries(TIMEFRAME_MS) as [Timeframe, number][]).find(([, ms]) => ms === best);
  return hit ? hit[0] : null;
}

/** What a candle file's name says about its market: `BASE_QUOTE-TF.json` (Freqtrade's naming), optionally prefixed. */
export interface NamedMarket {
  symbol: string;
  timeframe: Timeframe;
}

const NAMED_FILE = /(?:^|[^A-Za-z0-9])([A-Za-z0-9]+)_([A-Za-z0-9]+)-(\d+[mhdwM])\.json$/;

/**
 * The market named by the file (`LTC_BTC-5m.json` → LTC/BTC, 5m), checked against the candles' own spacing; null when
 * the name says nothing. A name whose timeframe BotDesk does not trade, or that the spacing contradicts, is an error:
 * trading one market's prices under another's name is worse than not starting.
 */
export function marketFromFileName(path: string, series: CandleSeries): NamedMarket | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const m = NAMED_FILE.exec(name);
  if (!m) return null;
  const [, base, quote, tf] = m;
  if (!(tf in TIMEFRAME_MS)) {
    throw new CandleFileError(
      `candle file ${name} is named for timeframe ${tf}, which BotDesk does not trade (${Object.keys(TIMEFRAME_MS).join(', ')})`,
    );
  }
  const timeframe = tf as Timeframe;
  const spacing = detectTimeframe(series);
  if (series.count > 1 && spacing !== timeframe) {
    const step = series.data[CANDLE_STRIDE] - series.data[0];
    throw new CandleFileError(
      `candle file ${name} is named for ${timeframe} candles but its candles are ${spacing ?? `${step / 1000} s`} apart; rename the file or use the right one`,
    );
  }
  return { symbol: `${base.toUpperCase()}/${quote.toUpperCase()}`, timeframe };
}
