import type { SqlDatabase } from './sql-driver';
import { TradeSchema, type EquityPoint, type Trade } from '../../../../src-shared/contract';
import { addTrade, NO_TRADES, totalsMismatch, totalsOf, type EquityMarks, type TradeTotals } from '../../kept-stats';
import { EquityCurveTables, type EquityAnswer, type EquityWindow } from './equity-curve-tables';

/** Where a page of trades ends: the (exit_time, id) of its last trade. */
export interface TradeKey {
  exit_time: number;
  id: number;
}

export interface TradeWindow {
  from?: number;
  to?: number;
  limit: number;
  /** the page starts after this trade (newest first) */
  after?: TradeKey;
}

export interface TradePage {
  trades: Trade[];
  /** key of the last trade when more follow */
  next: TradeKey | null;
  total: number;
  total_pnl: number;
}

/** A page of trades as JSON text: `json` is the array, newest first, each trade as the API writes it. */
export interface TradePageJson extends Omit<TradePage, 'trades'> {
  json: string;
}

export type { EquityAnswer } from './equity-curve-tables';

/** What the start-up check found out of step and rebuilt. */
export interface HistoryRepair {
  /** kept totals that disagreed with computeStats over the trade list */
  totals: string[];
  runningSums: boolean;
  buckets: boolean;
}

const MARKS_KEY = 'equity_marks';
const TRADE_FIELDS =
  'id, position_id, symbol, side, amount, entry_price, exit_price, entry_time, exit_time, fee, pnl, pnl_pct, exit_reason, config_version';
type TradeRow = [
  number,
  number,
  string,
  'long',
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  Trade['exit_reason'],
  number,
];
const tradeOf = (r: TradeRow): Trade => ({
  id: r[0],
  position_id: r[1],
  symbol: r[2],
  side: r[3],
  amount: r[4],
  entry_price: r[5],
  exit_price: r[6],
  entry_time: r[7],
  exit_time: r[8],
  fee: r[9],
  pnl: r[10],
  pnl_pct: r[11],
  exit_reason: r[12],
  config_version: r[13],
});
/**
 * A trade's JSON exactly as the API writes it (its schema's fields in the schema's order), or null when the trade does
 * not pass its schema: such a row is read field by field and fails at the API's edge, as it would have without this.
 */
export function tradeJson(trade: Trade): string | null {
  const parsed = TradeSchema.safeParse(trade);
  return parsed.success ? JSON.stringify(parsed.data) : null;
}

/**
 * A page read one trade too long, as its joined texts: the page without that trade, and the key of the page's own last
 * trade (where the next page starts), read from that trade's text. Each text is a flat JSON object that starts with
 * `{"id":` (tradeJson: the schema's order), so `,{"id":` occurs at the joins only: inside a string every `"` is escaped.
 * Null when the texts are not of that form (the caller then reads the page one trade at a time).
 */
function pageWithoutItsLast(joined: string): { json: string; next: TradeKey } | null {
  const cut = joined.lastIndexOf(',{"id":');
  if (cut < 0) return null;
  const lastOfPage = keyOf(joined.slice(joined.lastIndexOf(',{"id":', cut - 1) + 1, cut));
  // the text after the cut must be the one trade too many, whole: else a text of another shape hid a join
  if (lastOfPage === null || keyOf(joined.slice(cut + 1)) === null) return null;
  return { json: `[${joined.slice(0, cut)}]`, next: lastOfPage };
}

/** the key of one trade's text, or null when the text is not one trade */
function keyOf(text: string): TradeKey | null {
  let trade: unknown;
  try {
    trade = JSON.parse(text);
  } catch {
    return null;
  }
  const { exit_time, id } = (trade ?? {}) as Partial<TradeKey>;
  return typeof exit_time === 'number' && typeof id === 'number' ? { exit_time, id } : null;
}

const TOTALS_COLUMNS = [
  'trades',
  'wins',
  'losses',
  'realized',
  'fees',
  'gross_profit',
  'gross_loss',
  'best',
  'worst',
  'last_trade_id',
] as const;

/**
 * The growing part of the database, kept so that reading it costs the same at a thousand rows as at a million:
 * trade totals folded in as each trade is written, running sums in (exit_time, id) order, and the equity curve at
 * several resolutions. Writes run inside the caller's transaction (the trade's, the equity batch's).
 */
export class HistoryTables {
  private readonly stmt;
  private readonly curve: EquityCurveTables;

  /**
   * `keptTotals`: the whole list's totals as the store keeps them in memory (renewed on every trade write), so a page
   * without a window costs no statement for them.
   */
  constructor(
    private readonly db: SqlDatabase,
    private readonly keptTotals: () => TradeTotals,
  ) {
    this.stmt = {
      totals: db.prepare(`SELECT ${TOTALS_COLUMNS.join(', ')} FROM trade_totals WHERE id = 1`),
      saveTotals: db.prepare(
        `INSERT OR REPLACE INTO trade_totals (id, ${TOTALS_COLUMNS.join(', ')}) VALUES (1, ${TOTALS_COLUMNS.map((c) => '@' + c).join(', ')})`,
      ),
      // keyset conditions spelled out: SQLite bounds the index by `exit_time <= ?` but not by a row value `(a, b) < (?, ?)`,
      // which it would test row by row from the end of the index (cost growing with the depth of the page)
      runBefore: db.prepare(
        `SELECT run_count, run_pnl FROM trades WHERE exit_time <= @t AND (exit_time < @t OR id < @id) ORDER BY exit_time DESC, id DESC LIMIT 1`,
      ),
      runAfter: db.prepare(`SELECT id, pnl FROM trades WHERE exit_time >= @t AND (exit_time > @t OR id > @id) ORDER BY exit_time, id`),
      setRun: db.prepare(`UPDATE trades SET run_count = ?, run_pnl = ? WHERE id = ?`),
      tradeExists: db.prepare(`SELECT 1 FROM trades WHERE id = ?`),
      // a window's totals: the running sums of its last trade and of the last trade before it, in one statement
      // (each of the four is one search of the index; a statement less per page than a pair of row reads)
      windowRuns: db.prepare(
        `SELECT ${[
          ['run_count', '<= @to'],
          ['run_pnl', '<= @to'],
          ['run_count', '< @from'],
          ['run_pnl', '< @from'],
        ]
          .map(([column, bound]) => `(SELECT ${column} FROM trades WHERE exit_time ${bound} ORDER BY exit_time DESC, id DESC LIMIT 1)`)
          .join(', ')}`,
        { rows: 'arrays' },
      ),
      // rows as arrays, made into trades below: about 40 % cheaper than letting the driver build each object
      page: db.prepare(
        `SELECT ${TRADE_FIELDS} FROM trades WHERE exit_time >= @from AND exit_time <= min(@to, @t) AND (exit_time < @t OR id < @id) ORDER BY exit_time DESC, id DESC LIMIT @limit`,
        { rows: 'arrays' },
      ),
      // a page's stored texts joined by SQLite (one string crosses into JavaScript, not one per trade), how many trades
      // it has and how many of them have their text
      pageText: db.prepare(
        `SELECT group_concat(json), count(*), count(json) FROM (SELECT json FROM trades WHERE exit_time >= @from AND exit_time <= min(@to, @t) AND (exit_time < @t OR id < @id) ORDER BY exit_time DESC, id DESC LIMIT @limit)`,
        { rows: 'arrays' },
      ),
      // the stored text of each trade, and the key the next page starts after
      pageJson: db.prepare(
        `SELECT json FROM trades WHERE exit_time >= @from AND exit_time <= min(@to, @t) AND (exit_time < @t OR id < @id) ORDER BY exit_time DESC, id DESC LIMIT @limit`,
        { rows: 'values' },
      ),
      pageKeys: db.prepare(
        `SELECT exit_time, id FROM trades WHERE exit_time >= @from AND exit_time <= min(@to, @t) AND (exit_time < @t OR id < @id) ORDER BY exit_time DESC, id DESC LIMIT @limit`,
        { rows: 'arrays' },
      ),
      missingJson: db.prepare(`SELECT ${TRADE_FIELDS} FROM trades WHERE json IS NULL AND id > ? ORDER BY id LIMIT 10000`),
      setJson: db.prepare(`UPDATE trades SET json = ? WHERE id = ?`),
      getMeta: db.prepare(`SELECT value FROM meta WHERE key = ?`),
      setMeta: db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`),
    };
    this.curve = new EquityCurveTables(db);
  }

  // ── trades ─────────────────────────────────────────────────────────────────
  tradeTotals(): TradeTotals {
    return (this.stmt.totals.get() as TradeTotals | undefined) ?? { ...NO_TRADES };
  }

  /** Writes the trade's running sums and the totals with it; call inside the transaction that inserts the trade. */
  recordTrade(trade: Trade, insert: () => void): void {
    const replacing = this.stmt.tradeExists.get(trade.id) !== undefined;
    insert();
    if (replacing) {
      // the same trade written twice (never in normal operation): rebuild rather than count it twice
      this.rebuildRunningSums();
      this.stmt.saveTotals.run(totalsOf(this.allTrades()));
      return;
    }
    this.placeRunningSums(trade);
    this.stmt.saveTotals.run(addTrade(this.tradeTotals(), trade));
  }

  /** Running count and pnl of the new trade, and of any trade after it in (exit_time, id) order (normally none). */
  private placeRunningSums(trade: Trade): void {
    const before = this.stmt.runBefore.get({ t: trade.exit_time, id: trade.id }) as
      { run_count: number | null; run_pnl: number | null } | undefined;
    let count = (before?.run_count ?? 0) + 1;
    let pnl = (before?.run_pnl ?? 0) + trade.pnl;
    this.stmt.setRun.run(count, pnl, trade.id);
    for (const later of this.stmt.runAfter.all({ t: trade.exit_time, id: trade.id }) as { id: number; pnl: number }[]) {
      count += 1;
      pnl += later.pnl;
      this.stmt.setRun.run(count, pnl, later.id);
    }
  }

  private rebuildRunningSums(): void {
    const rows = this.db.prepare(`SELECT id, pnl FROM trades ORDER BY exit_time, id`).all() as { id: number; pnl: number }[];
    let count = 0;
    let pnl = 0;
    for (const r of rows) this.stmt.setRun.run(++count, (pnl += r.pnl), r.id);
  }

  allTrades(): Trade[] {
    return this.db.prepare(`SELECT ${TRADE_FIELDS} FROM trades ORDER BY id`).all() as Trade[];
  }

  /** Newest first by (exit_time, id), from the index; totals of the whole window from two running-sum lookups. */
  queryTrades(q: TradeWindow): TradePage {
    const from = q.from ?? Number.MIN_SAFE_INTEGER;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const after = q.after ?? { exit_time: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
    const trades = (this.stmt.page.all({ from, to, t: after.exit_time, id: after.id, limit: q.limit + 1 }) as TradeRow[]).map(tradeOf);
    const more = trades.length > q.limit;
    if (more) trades.length = q.limit;
    const last = trades[trades.length - 1];
    return { trades, next: more ? { exit_time: last.exit_time, id: last.id } : null, ...this.windowTotals(q.from, q.to) };
  }

  /**
   * queryTrades as JSON text: the page's stored trade texts joined, no trade rebuilt field by field (they were checked
   * against their schema when written). A trade stored without its text (never after the start-up check) is written
   * from its fields here.
   */
  queryTradesJson(q: TradeWindow): TradePageJson {
    const from = q.from ?? Number.MIN_SAFE_INTEGER;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const after = q.after ?? { exit_time: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
    const page = { from, to, t: after.exit_time, id: after.id, limit: q.limit };
    // one trade more than the page: whether another page follows, without a second statement
    const [joined, count, withText] = this.stmt.pageText.get({ ...page, limit: q.limit + 1 }) as [string | null, number, number];
    if (withText === count) {
      if (count <= q.limit) return { json: `[${joined ?? ''}]`, next: null, ...this.windowTotals(q.from, q.to) };
      const full = pageWithoutItsLast(joined!);
      if (full) return { ...full, ...this.windowTotals(q.from, q.to) };
    }
    return this.tradesJsonOneByOne(q, page);
  }

  /** queryTradesJson for a page with a trade stored without its text (never after the start-up check) */
  private tradesJsonOneByOne(q: TradeWindow, page: { limit: number }): TradePageJson {
    const window = { ...page, limit: q.limit + 1 };
    const texts = this.stmt.pageJson.all(window) as (string | null)[];
    const more = texts.length > q.limit;
    if (more) texts.length = q.limit;
    // the keys only where a text is missing (never after the start-up check) or a next page needs its start
    const keys = more || texts.includes(null) ? (this.stmt.pageKeys.all(window) as [number, number][]) : null;
    let json = '[';
    for (let i = 0; i < texts.length; i++) json += (i ? ',' : '') + (texts[i] ?? this.writtenFromFields(keys![i][1]));
    const last = keys?.[texts.length - 1];
    return { json: json + ']', next: more ? { exit_time: last![0], id: last![1] } : null, ...this.windowTotals(q.from, q.to) };
  }

  /** a trade without its stored text: written from its fields as the API would (and refused there if it is not valid) */
  private writtenFromFields(id: number): string {
    const trade = this.db.prepare(`SELECT ${TRADE_FIELDS} FROM trades WHERE id = ?`).get(id) as Trade;
    return tradeJson(trade) ?? JSON.stringify(trade);
  }

  private windowTotals(from: number | undefined, to: number | undefined): { total: number; total_pnl: number } {
    if (from === undefined && to === undefined) {
      const t = this.keptTotals();
      return { total: t.trades, total_pnl: t.realized };
    }
    const [countUpTo, pnlUpTo, countBelow, pnlBelow] = this.stmt.windowRuns.get({
      from: from ?? Number.MIN_SAFE_INTEGER,
      to: to ?? Number.MAX_SAFE_INTEGER,
    }) as (number | null)[];
    const total = (countUpTo ?? 0) - (countBelow ?? 0);
    return { total: Math.max(0, total), total_pnl: total > 0 ? (pnlUpTo ?? 0) - (pnlBelow ?? 0) : 0 };
  }

  // ── equity ─────────────────────────────────────────────────────────────────
  /** Per-candle points, their buckets and the core's marks; call inside a transaction. */
  appendEquity(points: readonly EquityPoint[], marks?: EquityMarks): void {
    try {
      this.curve.append(points);
      if (marks) this.stmt.setMeta.run(MARKS_KEY, JSON.stringify(marks));
    } catch (e) {
      this.curve.forgetUnwritten();
      throw e;
    }
  }

  equityMarks(): EquityMarks | null {
    const row = this.stmt.getMeta.get(MARKS_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as EquityMarks) : null;
  }

  queryEquity(q: EquityWindow): EquityAnswer {
    return this.curve.query(q);
  }

  queryEquityJson(q: EquityWindow): string | EquityPoint[] {
    return this.curve.queryJson(q);
  }

  /**
   * EXPLAIN QUERY PLAN of every statement a request runs, by name: each must SEARCH an index (never SCAN a table), so
   * its cost follows the rows it returns, not the history's size.
   */
  readPlans(): Record<string, string[]> {
    const reads = ['totals', 'windowRuns', 'page', 'pageText', 'pageJson', 'pageKeys'] as const;
    const statements = { ...Object.fromEntries(reads.map((name) => [name, this.stmt[name]])), ...this.curve.readStatements() };
    const plans: Record<string, string[]> = {};
    for (const [name, statement] of Object.entries(statements)) {
      const sql = statement.source;
      // any values do: the plan depends on the statement, not on what is bound
      const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], 0]));
      const positional = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 0);
      const explain = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const rows = (Object.keys(named).length ? explain.all(named) : explain.all(...positional)) as { detail: string }[];
      plans[name] = rows.map((r) => r.detail);
    }
    return plans;
  }

  // ── start-up check ─────────────────────────────────────────────────────────
  /**
   * Compares every kept figure with what it is kept from and rebuilds what disagrees (in one transaction): the trade
   * totals against computeStats over the whole trade list, the running sums against a window sum, the newest bucket of
   * each level against the newest per-candle point. O(history), once per start.
   */
  verifyAndRepair(): HistoryRepair {
    return this.db.transaction((): HistoryRepair => {
      const oracle = totalsOf(this.allTrades());
      const kept = this.stmt.totals.get() as TradeTotals | undefined;
      const totals = kept ? totalsMismatch(kept, oracle) : oracle.trades ? ['missing'] : [];
      if (totals.length || !kept) this.stmt.saveTotals.run(oracle);

      const badRuns = (
        this.db
          .prepare(
            `SELECT count(*) AS n FROM (SELECT run_count, run_pnl, row_number() OVER w AS rn, sum(pnl) OVER w AS cum FROM trades
         WINDOW w AS (ORDER BY exit_time, id ROWS UNBOUNDED PRECEDING))
         WHERE run_count IS NOT rn OR run_pnl IS NULL OR abs(run_pnl - cum) > 1e-9 * max(1, abs(cum))`,
          )
          .get() as { n: number }
      ).n;
      if (badRuns) this.rebuildRunningSums();

      // trades written before their text was kept (or whose text was lost) get it now, in slices
      for (let after = 0; ;) {
        const missing = this.stmt.missingJson.all(after) as Trade[];
        if (!missing.length) break;
        for (const t of missing) this.stmt.setJson.run(tradeJson(t), t.id);
        after = missing[missing.length - 1].id;
      }

      return { totals, runningSums: badRuns > 0, buckets: this.curve.repairBuckets() };
    });
  }
}
