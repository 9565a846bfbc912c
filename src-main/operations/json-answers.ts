import {
  operations,
  type CallerContext,
  type EquityPoint,
  type LogRecord,
  type OperationName,
  type ParsedInput,
} from '../../src-shared/contract';
import type { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import type { Logger } from '../engine/log/logger';
import { compileJsonWriter } from './json-writer';
import { nextTradeCursor, tradeWindowOf } from './trade-cursor';

/**
 * Reads answered straight as JSON text, for the adapters that send JSON (HTTP): the same answers as the operation's
 * handler written through its output schema, without building an object per row and writing it again field by field.
 * Trades come as the texts the store wrote with them (checked against their schema then), per-candle equity points
 * as SQLite writes them (the same values, in SQLite's spelling of numbers); what is assembled here (cursor, totals,
 * thinned points) goes through the output schema's own writers; log records are written once each (see logPage).
 * tests/operations/json-answers.test.ts holds each to its handler's answer (byte for byte for trades and logs, value
 * for value for equity).
 */
export type JsonAnswers = Partial<{ [N in OperationName]: (input: ParsedInput<N>, caller: CallerContext) => string }>;

const tradePage = operations.getTrades.output.shape;
const write = {
  cursor: compileJsonWriter(tradePage.next_cursor),
  total: compileJsonWriter(tradePage.total),
  totalPnl: compileJsonWriter(tradePage.total_pnl),
  points: compileJsonWriter(operations.getEquity.output.shape.points),
  logs: compileJsonWriter(operations.getLogs.output),
  logRecord: compileJsonWriter(operations.getLogs.output.element),
};

export function createJsonAnswers(d: { store: SqliteStore; logger: Pick<Logger, 'tail'> }): JsonAnswers {
  const logPage = logPageWriter();
  return {
    getLogs: (input) => logPage(d.logger.tail(input.query.level, input.query.limit)),
    getTrades: (input) => {
      const page = d.store.queryTradesJson(tradeWindowOf(input.query));
      return `{"trades":${page.json},"next_cursor":${write.cursor(nextTradeCursor(page.next, input.query))},"total":${write.total(page.total)},"total_pnl":${write.totalPnl(page.total_pnl)}}`;
    },
    getEquity: (input) => {
      // per-candle points come written by SQLite; thinned ones are made here and written through the schema
      const points = d.store.queryEquityJson(input.query);
      return `{"points":${typeof points === 'string' ? points : thinnedPointsJson(points)}}`;
    },
  };
}

/**
 * A page of log records as the output schema writes it, each record's text written through the record's schema the
 * first time a page holds it and reused after: a record never changes once logged (as a trade's stored text, kept
 * here instead of at write time so records nobody reads cost nothing; a WeakMap, so it goes with the record when the
 * logger's ring drops it). Writing every record anew was most of a cold logs page (docs/benchmarks.md cold-reads). A
 * record the schema refuses sends the whole page to the page's writer, which refuses it as the API does.
 */
export function logPageWriter(): (records: readonly LogRecord[]) => string {
  const texts = new WeakMap<LogRecord, string>();
  return (records) => {
    let out = '[';
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      let text = texts.get(record);
      if (text === undefined) {
        try {
          text = write.logRecord(record) as string;
        } catch {
          return write.logs(records) as string;
        }
        texts.set(record, text);
      }
      out += (i ? ',' : '') + text;
    }
    return out + ']';
  };
}

/**
 * Thinned points (made here, never read from anyone) as the output schema writes them: `{ts, equity}` numbers, both
 * finite, else the schema's own writer refuses them as the API does. Each point is written out by hand because
 * JSON.stringify spends more on a millisecond timestamp (a double holding a large integer, formatted by the general
 * path) than on anything else in the answer; see integerText.
 */
export function thinnedPointsJson(points: readonly EquityPoint[]): string {
  let out = '[';
  for (let i = 0; i < points.length; i++) {
    const { ts, equity } = points[i];
    if (!Number.isFinite(ts) || !Number.isFinite(equity)) return write.points(points)!;
    out += (i ? ',{"ts":' : '{"ts":') + integerText(ts) + ',"equity":' + equity + '}';
  }
  return out + ']';
}

/**
 * A finite number's JSON text (what JSON.stringify writes), written as two small integers when it is an integer of
 * 7 to 16 digits (a timestamp in ms): those V8 formats about five times faster than the one large one.
 */
export function integerText(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1e6) return String(n);
  const high = Math.floor(n / 1e6);
  const low = n - high * 1e6;
  return high + (low >= 1e5 ? '' : low >= 1e4 ? '0' : low >= 1e3 ? '00' : low >= 100 ? '000' : low >= 10 ? '0000' : '00000') + low;
}
