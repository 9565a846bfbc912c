import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AuditRecord,
  BotConfig,
  CashFlow,
  ConfigVersion,
  EquityPoint,
  LogRecord,
  Order,
  Trade,
} from '../../../../src-shared/contract';
import type { Balances } from '../../ports/exchange.port';
import type { PositionRecord, TradingJournal } from '../../ports/journal.port';
import { savedPaperOrder, type PaperJournal, type PaperOrder, type SavedPaperOrder } from '../paper/paper.exchange';
import type { EquityMarks, TradeTotals } from '../../kept-stats';
import { LOG_LEVELS, withConfigDefaults } from '../../../../src-shared/contract';
import { migrate } from './migrations';
import { openDatabase, type SqlDatabase, type SqlDriverName } from './sql-driver';
import {
  HistoryTables,
  tradeJson,
  type EquityAnswer,
  type HistoryRepair,
  type TradePage,
  type TradePageJson,
  type TradeWindow,
} from './history-tables';

const ORDER_COLUMNS = [
  'id',
  'client_order_id',
  'exchange_order_id',
  'symbol',
  'side',
  'type',
  'purpose',
  'amount',
  'price',
  'trigger_price',
  'status',
  'filled',
  'average_price',
  'fee',
  'position_id',
  'exit_reason',
  'created_at',
  'updated_at',
  'config_version',
] as const;
const POSITION_COLUMNS = [
  'id',
  'symbol',
  'amount',
  'entry_price',
  'entry_fee',
  'stop_loss_price',
  'take_profit_price',
  'opened_at',
  'config_version',
  'entry_client_order_id',
  'status',
  'closed_at',
  'stop_trailed',
] as const;
const TRADE_COLUMNS = [
  'id',
  'position_id',
  'symbol',
  'side',
  'amount',
  'entry_price',
  'exit_price',
  'entry_time',
  'exit_time',
  'fee',
  'pnl',
  'pnl_pct',
  'exit_reason',
  'config_version',
  'json',
] as const;

const upsert = (table: string, cols: readonly string[]) =>
  `INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`;

/**
 * The bot's database: one SQLite file in WAL mode with synchronous=FULL, so an acknowledged order or trade
 * survives a power cut. Also holds the paper exchange's book, so a crash can never split the two.
 */
export class SqliteStore implements TradingJournal {
  readonly db: SqlDatabase;
  private readonly stmt;
  private readonly history: HistoryTables;
  /** move after every write that can change a page of trades / the equity curve (answer caches key on them) */
  private tradeWrites = 0;
  private equityWrites = 0;
  /** the totals as of trade write `totalsAt` (every stats read and every scrape wants them) */
  private totals: { at: number; value: TradeTotals } | null = null;

  constructor(dataDir: string, fileName = 'botdesk.sqlite', options: { driver?: SqlDriverName } = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = openDatabase(join(dataDir, fileName), options);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    const db = this.db;
    this.stmt = {
      saveOrder: db.prepare(upsert('orders', ORDER_COLUMNS)),
      savePosition: db.prepare(upsert('positions', POSITION_COLUMNS)),
      insertTrade: db.prepare(upsert('trades', TRADE_COLUMNS)),
      openPositions: db.prepare(`SELECT * FROM positions WHERE status = 'open' ORDER BY id`),
      activeOrders: db.prepare(`SELECT * FROM orders WHERE status IN ('new', 'open') ORDER BY id`),
      orderByClientId: db.prepare(`SELECT * FROM orders WHERE client_order_id = ?`),
      ids: db.prepare(
        `SELECT (SELECT coalesce(max(id), 0) FROM orders) AS "order", (SELECT coalesce(max(id), 0) FROM positions) AS position, (SELECT coalesce(max(id), 0) FROM trades) AS trade`,
      ),
      getMeta: db.prepare(`SELECT value FROM meta WHERE key = ?`),
      setMeta: db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`),
      savePaperOrder: db.prepare(`INSERT OR REPLACE INTO paper_orders (client_order_id, request, state) VALUES (?, ?, ?)`),
      paperOrders: db.prepare(`SELECT request, state FROM paper_orders`),
      forgetPaperOrder: db.prepare(`DELETE FROM paper_orders WHERE client_order_id = ?`),
      insertAudit: db.prepare(`INSERT INTO audit (ts, action, actor, detail) VALUES (?, ?, ?, ?)`),
      insertLog: db.prepare(`INSERT INTO logs (ts, level, record) VALUES (?, ?, ?)`),
      // per level, so a flood of debug lines never pushes the last errors out
      trimLogs: db.prepare(
        `DELETE FROM logs WHERE level = @level AND id <= (SELECT id FROM logs WHERE level = @level ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
      ),
      logsOfLevel: db.prepare(`SELECT id, record FROM logs WHERE level = ? ORDER BY id DESC LIMIT ?`),
      insertVersion: db.prepare(
        `INSERT INTO config_versions (version, created_at, actor, reason, changes, config) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      latestVersion: db.prepare(`SELECT * FROM config_versions ORDER BY version DESC LIMIT 1`),
      version: db.prepare(`SELECT * FROM config_versions WHERE version = ?`),
      versions: db.prepare(`SELECT * FROM config_versions ORDER BY version DESC LIMIT ?`),
    };
    this.history = new HistoryTables(db, () => this.tradeTotals());
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  // ── TradingJournal ─────────────────────────────────────────────────────────
  saveOrder(order: Order): void {
    this.stmt.saveOrder.run(order);
  }
  openPosition(position: PositionRecord, entryOrder: Order): void {
    this.db.transaction(() => {
      this.stmt.saveOrder.run(entryOrder);
      this.stmt.savePosition.run(position);
    });
  }
  closePosition(position: PositionRecord, exitOrder: Order, trade: Trade): void {
    try {
      this.db.transaction(() => {
        this.stmt.saveOrder.run(exitOrder);
        this.stmt.savePosition.run(position);
        // the kept totals and running sums move in the trade's own transaction: a crash cannot split them
        this.history.recordTrade(trade, () => this.stmt.insertTrade.run({ ...trade, json: tradeJson(trade) }));
      });
    } finally {
      this.tradeWrites++;
    }
  }
  loadOpenPositions(): PositionRecord[] {
    return this.stmt.openPositions.all() as PositionRecord[];
  }
  loadActiveOrders(): Order[] {
    return this.stmt.activeOrders.all() as Order[];
  }
  findOrder(clientOrderId: string): Order | null {
    return (this.stmt.orderByClientId.get(clientOrderId) as Order | undefined) ?? null;
  }
  lastIds(): { order: number; position: number; trade: number } {
    return this.stmt.ids.get() as { order: number; position: number; trade: number };
  }
  realizedPnl(): number {
    return this.tradeTotals().realized;
  }

  // ── PaperJournal ───────────────────────────────────────────────────────────
  private loadPaper(): { balances: Balances; orders: SavedPaperOrder[] } | null {
    const balances = this.getMeta('paper_balances');
    if (!balances) return null;
    const orders = (this.stmt.paperOrders.all() as { request: string; state: string }[]).map((r) => ({
      request: JSON.parse(r.request),
      state: JSON.parse(r.state),
    }));
    return { balances: JSON.parse(balances) as Balances, orders };
  }
  private saveOrderPaper(order: PaperOrder): void {
    const saved = savedPaperOrder(order);
    this.stmt.savePaperOrder.run(order.clientOrderId, JSON.stringify(saved.request), JSON.stringify(saved.state));
  }
  saveBalances(balances: Balances): void {
    this.setMeta('paper_balances', JSON.stringify(balances));
  }
  atomically(fn: () => void): void {
    if (this.db.inTransaction) return fn();
    try {
      this.db.transaction(fn);
    } finally {
      // whatever was read inside may have been rolled back: nothing cached from it outlives the transaction
      this.tradeWrites++;
      this.equityWrites++;
    }
  }
  /** the paper exchange's view of this store (its saveOrder differs from the journal's) */
  paperJournal(): PaperJournal {
    return {
      load: () => this.loadPaper(),
      saveOrder: (o) => this.saveOrderPaper(o),
      saveBalances: (b) => this.saveBalances(b),
      forgetOrders: (ids) => this.atomically(() => ids.forEach((id) => this.stmt.forgetPaperOrder.run(id))),
      atomically: (fn) => this.atomically(fn),
    };
  }

  // ── bot state ──────────────────────────────────────────────────────────────
  getMeta(key: string): string | null {
    const row = this.stmt.getMeta.get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }
  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  // ── config versions ────────────────────────────────────────────────────────
  insertConfigVersion(v: ConfigVersion): void {
    this.stmt.insertVersion.run(v.version, v.created_at, v.actor, v.reason, JSON.stringify(v.changes), JSON.stringify(v.config));
  }
  latestConfigVersion(): ConfigVersion | null {
    const row = this.stmt.latestVersion.get() as VersionRow | undefined;
    return row ? fromVersionRow(row) : null;
  }
  configVersion(version: number): ConfigVersion | null {
    const row = this.stmt.version.get(version) as VersionRow | undefined;
    return row ? fromVersionRow(row) : null;
  }
  configVersions(limit: number): ConfigVersion[] {
    return (this.stmt.versions.all(limit) as VersionRow[]).map(fromVersionRow);
  }

  // ── queries ────────────────────────────────────────────────────────────────
  /** closed trades newest first by (exit_time, id), keyset-paged, with the window's totals; bounded cost */
  queryTrades(q: TradeWindow): TradePage {
    return this.history.queryTrades(q);
  }
  /** queryTrades with the page as the API's JSON text, from each trade's stored text */
  queryTradesJson(q: TradeWindow): TradePageJson {
    return this.history.queryTradesJson(q);
  }
  /** what the trade list adds up to, kept as trades close: O(1) */
  tradeTotals(): TradeTotals {
    if (this.totals === null || this.totals.at !== this.tradeWrites)
      this.totals = { at: this.tradeWrites, value: Object.freeze(this.history.tradeTotals()) };
    return this.totals.value;
  }
  /** every trade, oldest first: O(history), for the start-up check and tests (never a request) */
  allTrades(): Trade[] {
    return this.history.allTrades();
  }
  /** rebuilds kept figures that disagree with what they are kept from; O(history), once at start-up */
  verifyHistory(): HistoryRepair {
    const repair = this.history.verifyAndRepair();
    this.tradeWrites++;
    this.equityWrites++;
    return repair;
  }
  /** query plans of the history reads (tests assert each searches an index) */
  historyReadPlans(): Record<string, string[]> {
    return this.history.readPlans();
  }
  get tradesVersion(): number {
    return this.tradeWrites;
  }
  get equityVersion(): number {
    return this.equityWrites;
  }
  recentTrades(limit: number): Trade[] {
    const fields = TRADE_COLUMNS.filter((c) => c !== 'json').join(', ');
    return this.db.prepare(`SELECT ${fields} FROM trades ORDER BY id DESC LIMIT ?`).all(limit) as Trade[];
  }
  /** market time of the newest order, null when there is none */
  lastOrderTime(): number | null {
    return (this.db.prepare(`SELECT max(created_at) AS t FROM orders`).get() as { t: number | null }).t;
  }
  listOrders(status: 'open' | 'all', limit: number): Order[] {
    const filter = status === 'open' ? `WHERE status IN ('new', 'open')` : '';
    return this.db.prepare(`SELECT * FROM orders ${filter} ORDER BY id DESC LIMIT ?`).all(limit) as Order[];
  }

  // ── equity curve ───────────────────────────────────────────────────────────
  /** per-candle points, their coarser buckets and the core's drawdown/day marks, in one transaction */
  appendEquity(points: readonly EquityPoint[], marks?: EquityMarks): void {
    if (!points.length) return;
    try {
      this.atomically(() => this.history.appendEquity(points, marks));
    } finally {
      this.equityWrites++;
    }
  }
  /** queryEquity's points as the API's JSON text, or the thinned points for the caller to write */
  queryEquityJson(q: { from?: number; to?: number; limit: number }): string | EquityPoint[] {
    return this.history.queryEquityJson(q);
  }
  /** the core's marks as of the last equity write (null on a fresh database) */
  equityMarks(): EquityMarks | null {
    return this.history.equityMarks();
  }
  /** oldest first, at most `limit` points; reads a bounded number of rows whatever the span */
  queryEquity(q: { from?: number; to?: number; limit: number }): EquityAnswer {
    return this.history.queryEquity(q);
  }

  // ── cash flows (money that moved without the bot) ───────────────────────────
  /** written with the holdings they change, in one transaction (the caller's) */
  insertCashFlow(f: Omit<CashFlow, 'id'>): CashFlow {
    const info = this.db
      .prepare(`INSERT INTO cash_flows (ts, asset, amount, value, kind) VALUES (?, ?, ?, ?, ?)`)
      .run(f.ts, f.asset, f.amount, f.value, f.kind);
    return { id: Number(info.lastInsertRowid), ...f };
  }
  /** oldest first */
  cashFlows(q: { from?: number; to?: number; limit: number }): CashFlow[] {
    return this.db
      .prepare(`SELECT * FROM cash_flows WHERE ts >= ? AND ts <= ? ORDER BY ts, id LIMIT ?`)
      .all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.limit) as CashFlow[];
  }
  netCashFlow(): number {
    return (this.db.prepare(`SELECT coalesce(sum(value), 0) AS v FROM cash_flows`).get() as { v: number }).v;
  }
  /** a dust position taken off the books (no trade: no order of the bot sold it) */
  writeOffPosition(p: PositionRecord): void {
    this.stmt.savePosition.run(p);
  }
  /** a trailing stop's new price, written before the old stop is cancelled (a crash in between is repaired at this price) */
  saveStop(p: PositionRecord): void {
    this.stmt.savePosition.run(p);
  }

  // ── audit and logs ─────────────────────────────────────────────────────────
  appendAudit(r: Omit<AuditRecord, 'id'>): AuditRecord {
    const info = this.stmt.insertAudit.run(r.ts, r.action, r.actor, JSON.stringify(r.detail));
    return { id: Number(info.lastInsertRowid), ...r };
  }
  listAudit(limit: number): AuditRecord[] {
    return (
      this.db.prepare(`SELECT * FROM audit ORDER BY id DESC LIMIT ?`).all(limit) as (Omit<AuditRecord, 'detail'> & { detail: string })[]
    ).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
  /** appends records and keeps the newest `keep` of each level */
  appendLogs(records: readonly LogRecord[], keep: number): void {
    if (!records.length) return;
    this.db.transaction(() => {
      const levels = new Set<string>();
      for (const r of records) {
        this.stmt.insertLog.run(r.ts, r.level, JSON.stringify(r));
        levels.add(r.level);
      }
      for (const level of levels) this.stmt.trimLogs.run({ level, keep });
    });
  }
  /** the newest `perLevel` records of each level, oldest first (from the level index) */
  recentLogs(perLevel: number): LogRecord[] {
    const rows: { id: number; record: string }[] = [];
    for (const level of LOG_LEVELS) rows.push(...(this.stmt.logsOfLevel.all(level, perLevel) as { id: number; record: string }[]));
    return rows.sort((a, b) => a.id - b.id).map((r) => JSON.parse(r.record) as LogRecord);
  }
}

interface VersionRow {
  version: number;
  created_at: number;
  actor: string;
  reason: string;
  changes: string;
  config: string;
}
const fromVersionRow = (r: VersionRow): ConfigVersion => ({
  version: r.version,
  created_at: r.created_at,
  actor: r.actor,
  reason: r.reason,
  changes: JSON.parse(r.changes),
  config: withConfigDefaults(JSON.parse(r.config) as BotConfig),
});
