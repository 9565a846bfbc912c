import { operations, type CallerContext, type OperationName, type ParsedInput } from '../../src-shared/contract';
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
      return `{"points":${typeof points === 'string' ? points : write.points(points)}}`;
    },
  };
}
