import { operations, type CallerContext, type EquityPoint, type OperationName, type ParsedInput } from '../../src-shared/contract';
import type { SqliteStore } from '../engine/adapters/sqlite/sqlite.store';
import { compileJsonWriter } from './json-writer';
import { nextTradeCursor, tradeWindowOf } from './trade-cursor';

/**
 * Reads answered straight as JSON text, for the adapters that send JSON (HTTP): the same answers as the operation's
 * handler written through its output schema, without building an object per row and writing it again field by field.
 * Trades come as the texts the store wrote with them (checked against their schema then), per-candle equity points
 * as SQLite writes them (the same values, in SQLite's spelling of numbers); what is assembled here (cursor, totals,
 * thinned points) goes through the output schema's own writers. tests/operations/json-answers.test.ts holds each to
 * its handler's answer (byte for byte for trades, value for value for equity).
 */
export type JsonAnswers = Partial<{ [N in OperationName]: (input: ParsedInput<N>, caller: CallerContext) => string }>;

const tradePage = operations.getTrades.output.shape;
const write = {
  cursor: compileJsonWriter(tradePage.next_cursor),
  total: compileJsonWriter(tradePage.total),
  totalPnl: compileJsonWriter(tradePage.total_pnl),
  points: compileJsonWriter(operations.getEquity.output.shape.points),
};

export function createJsonAnswers(d: { store: SqliteStore }): JsonAnswers {
  return {
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
