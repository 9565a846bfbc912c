import { TIMEFRAME_MS, type HistorySet, type Timeframe } from '../../../src-shared/contract';
import type { SqlDatabase, SqlStatement } from '../adapters/sqlite/sql-driver';
import { CANDLE_STRIDE, type CandleSeries } from '../feeds/candle-file';
import { addSpan, extendGaps, type Run } from './gap-runs';

export interface SetKey {
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
}

interface SetRow {
  id: number;
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
  first_ts: number | null;
  last_ts: number | null;
  candles: number;
  gaps: string;
  coverage: string;
}

/** [ts, open, high, low, close, volume] */
export type CandleRow = readonly [number, number, number, number, number, number];

/**
 * Candle sets in the lab database: candles keyed by (set, open time), and per set a summary (extent, count, gaps) and
 * the spans the exchange was asked for in full, both written in the same transaction as the candles. A page of a
 * download is one transaction: after kill -9 the set holds whole pages and its coverage says exactly which.
 */
export class CandleStore {
  private readonly stmt: Record<string, SqlStatement>;

  constructor(private readonly db: SqlDatabase) {
    this.stmt = {
      find: db.prepare(`SELECT id FROM candle_sets WHERE exchange = ? AND symbol = ? AND timeframe = ?`),
      create: db.prepare(`INSERT INTO candle_sets (exchange, symbol, timeframe) VALUES (?, ?, ?)`),
      createSummary: db.prepare(`INSERT INTO candle_set_summary (set_id, candles, gaps, coverage) VALUES (?, 0, '[]', '[]')`),
      summary: db.prepare(
        `SELECT s.id, s.exchange, s.symbol, s.timeframe, m.first_ts, m.last_ts, m.candles, m.gaps, m.coverage
         FROM candle_sets s JOIN candle_set_summary m ON m.set_id = s.id WHERE s.id = ?`,
      ),
      all: db.prepare(
        `SELECT s.id, s.exchange, s.symbol, s.timeframe, m.first_ts, m.last_ts, m.candles, m.gaps, m.coverage
         FROM candle_sets s JOIN candle_set_summary m ON m.set_id = s.id ORDER BY s.exchange, s.symbol, s.timeframe`,
      ),
      saveSummary: db.prepare(
        `UPDATE candle_set_summary SET first_ts = @first, last_ts = @last, candles = @candles, gaps = @gaps, coverage = @coverage WHERE set_id = @id`,
      ),
      // a write first: the transaction holds the write lock before it reads, so two writers wait for each other
      // (busy_timeout) instead of one failing to upgrade a read it began on an older snapshot
      lockSet: db.prepare(`UPDATE candle_set_summary SET candles = candles WHERE set_id = ?`),
      countRange: db.prepare(`SELECT count(*) AS n FROM candles WHERE set_id = ? AND ts BETWEEN ? AND ?`),
      insert: db.prepare(`INSERT OR REPLACE INTO candles (set_id, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      range: db.prepare(`SELECT ts, open, high, low, close, volume FROM candles WHERE set_id = ? AND ts BETWEEN ? AND ? ORDER BY ts`, {
        rows: 'arrays',
      }),
    };
  }

  /** the set's id, made when `create` and it is new */
  setId(key: SetKey, create: true): number;
  setId(key: SetKey, create?: boolean): number | null;
  setId(key: SetKey, create = false): number | null {
    const row = this.stmt.find.get(key.exchange, key.symbol, key.timeframe) as { id: number } | undefined;
    if (row) return row.id;
    if (!create) return null;
    return this.db.transaction(() => {
      const id = Number(this.stmt.create.run(key.exchange, key.symbol, key.timeframe).lastInsertRowid);
      this.stmt.createSummary.run(id);
      return id;
    });
  }

  /** the spans of the set the exchange was asked for and answered in full, oldest first */
  coverage(setId: number): Run[] {
    return JSON.parse(this.row(setId).coverage) as Run[];
  }

  /**
   * Keep candles (sorted by open time, on the timeframe's grid) and, for a page the exchange answered, the span it
   * covered: one transaction. Returns how many were new to the set.
   */
  write(setId: number, rows: readonly CandleRow[], covered?: Run): number {
    return this.db.transaction(() => {
      this.stmt.lockSet.run(setId);
      const before = this.row(setId);
      const step = TIMEFRAME_MS[before.timeframe];
      let added = 0;
      if (rows.length > 0) {
        const lo = rows[0][0];
        const hi = rows[rows.length - 1][0];
        const had = (this.stmt.countRange.get(setId, lo, hi) as { n: number }).n;
        for (const r of rows) this.stmt.insert.run(setId, r[0], r[1], r[2], r[3], r[4], r[5]);
        added = (this.stmt.countRange.get(setId, lo, hi) as { n: number }).n - had;
      }
      const extent = extendGaps(
        { first: before.first_ts, last: before.last_ts, gaps: JSON.parse(before.gaps) as Run[] },
        rows.map((r) => r[0]),
        step,
      );
      const coverage = covered ? addSpan(JSON.parse(before.coverage) as Run[], covered, step) : (JSON.parse(before.coverage) as Run[]);
      this.stmt.saveSummary.run({
        id: setId,
        first: extent.first,
        last: extent.last,
        candles: before.candles + added,
        gaps: JSON.stringify(extent.gaps),
        coverage: JSON.stringify(coverage),
      });
      return added;
    });
  }

  /** every set with its extent and gaps (the summary: no scan of the candles) */
  sets(): HistorySet[] {
    return (this.stmt.all.all() as SetRow[]).filter((r) => r.candles > 0).map(toHistorySet);
  }

  set(setId: number): HistorySet {
    return toHistorySet(this.row(setId));
  }

  /** how many candles of the set open in [from, to] */
  count(setId: number, from: number, to: number): number {
    return (this.stmt.countRange.get(setId, from, to) as { n: number }).n;
  }

  /** the set's candles with open times in [from, to], packed for the engine */
  series(setId: number, from: number, to: number): CandleSeries {
    const rows = this.stmt.range.all(setId, from, to) as number[][];
    const data = new Float64Array(rows.length * CANDLE_STRIDE);
    for (let i = 0; i < rows.length; i++) data.set(rows[i], i * CANDLE_STRIDE);
    return { data, count: rows.length };
  }

  private row(setId: number): SetRow {
    const row = this.stmt.summary.get(setId) as SetRow | undefined;
    if (!row) throw new Error(`no candle set ${setId}`);
    return row;
  }
}

function toHistorySet(r: SetRow): HistorySet {
  return {
    exchange: r.exchange,
    symbol: r.symbol,
    timeframe: r.timeframe,
    from: r.first_ts ?? 0,
    to: r.last_ts ?? 0,
    candles: r.candles,
    gaps: (JSON.parse(r.gaps) as Run[]).map(([from, to]) => ({ from, to })),
  };
}
