// What must hold after a real server process was killed with SIGKILL and started again: the database whole, nothing
// acknowledged lost, no order placed twice, stats that add up, and an event stream that goes on with no gap.
import { join } from 'node:path';
import WebSocket from 'ws';
import { openDatabase } from '../../src-main/engine/adapters/sqlite/sql-driver';
import type { BotEvent, Position, Stats, Trade } from '../../src-shared/contract';
import type { RunningServer } from '../e2e/server-process';

export interface ApiView {
  trades: Trade[];
  positions: Position[];
  stats: Stats;
}

/** What the API says now (trades: every page). */
export async function apiView(s: RunningServer): Promise<ApiView> {
  const trades: Trade[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { trades: Trade[]; next_cursor: string | null } } = await s.api(
      'GET',
      `/bot/trades?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`GET /bot/trades answered ${page.status}`);
    trades.push(...page.body.trades);
    cursor = page.body.next_cursor;
  } while (cursor);
  const positions = (await s.api<Position[]>('GET', '/bot/positions')).body;
  const stats = (await s.api<Stats>('GET', '/bot/stats')).body;
  return { trades, positions, stats };
}

/** Problems with the database file while the process is dead (integrity, duplicate orders). */
export function databaseProblems(dataDir: string): string[] {
  const db = openDatabase(join(dataDir, 'botdesk.sqlite'), { readonly: true });
  try {
    const problems: string[] = [];
    const integrity = db.pragma('integrity_check');
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const dup = (db.prepare('SELECT count(*) - count(DISTINCT client_order_id) AS n FROM orders').get() as { n: number }).n;
    if (dup) problems.push(`${dup} orders share a client_order_id`);
    const twice = (db.prepare('SELECT count(*) - count(DISTINCT position_id) AS n FROM trades').get() as { n: number }).n;
    if (twice) problems.push(`${twice} positions were booked as two trades`);
    return problems;
  } finally {
    db.close();
  }
}

/** Before vs after: every trade seen before is there unchanged; every position open before is open or closed by a trade. */
export function continuityProblems(before: ApiView, after: ApiView): string[] {
  const problems: string[] = [];
  const afterTrades = new Map(after.trades.map((t) => [t.id, t]));
  for (const t of before.trades) {
    const now = afterTrades.get(t.id);
    if (!now) problems.push(`trade ${t.id} was lost`);
    else if (JSON.stringify(now) !== JSON.stringify(t)) problems.push(`trade ${t.id} changed`);
  }
  const closedPositions = new Set(after.trades.map((t) => t.position_id));
  const openAfter = new Map(after.positions.map((p) => [p.id, p]));
  for (const p of before.positions) {
    const still = openAfter.get(p.id);
    if (!still && !closedPositions.has(p.id)) problems.push(`position ${p.id} vanished without a trade`);
    if (still && Math.abs(still.amount - p.amount) > 1e-12 && !closedPositions.has(p.id)) problems.push(`position ${p.id} changed amount`);
  }
  // the kept sums agree with the trade list
  const sum = after.trades.reduce((a, t) => a + t.pnl, 0);
  if (Math.abs(sum - after.stats.realized_pnl) > 1e-9 * Math.max(1, Math.abs(sum)))
    problems.push(`realized ${after.stats.realized_pnl} ≠ Σ trades ${sum}`);
  if (after.stats.trades_count !== after.trades.length)
    problems.push(`trades_count ${after.stats.trades_count} ≠ ${after.trades.length} trades`);
  return problems;
}

/** A client of /ws/events that remembers the last seq it saw and checks each next one is exactly one more. */
export class SeqClient {
  lastSeq = 0;
  received = 0;
  readonly problems: string[] = [];
  private ws: WebSocket | null = null;

  /** connects (with `?since=` after the first time); resolves once open */
  connect(s: RunningServer): Promise<void> {
    const since = this.lastSeq ? `?since=${this.lastSeq}` : '';
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws/events${since}`, { headers: { Authorization: `Bearer ${s.token}` } });
    this.ws = ws;
    ws.on('message', (m) => {
      const e = JSON.parse(m.toString()) as BotEvent;
      if (this.lastSeq && e.seq !== this.lastSeq + 1) this.problems.push(`event seq ${e.seq} after ${this.lastSeq}`);
      this.lastSeq = e.seq;
      this.received++;
    });
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('the stream did not open in 10 s')), 10_000);
      ws.once('open', () => {
        clearTimeout(timer);
        ok();
      });
      ws.on('error', (e) => {
        clearTimeout(timer);
        fail(e);
      });
      ws.once('unexpected-response', (_q, r) => {
        clearTimeout(timer);
        fail(new Error(`stream refused: ${r.statusCode}`));
      });
    });
  }

  /** at least `n` more events after this call, or why not */
  async more(n: number, timeoutMs = 20_000): Promise<void> {
    const want = this.received + n;
    const deadline = Date.now() + timeoutMs;
    while (this.received < want) {
      if (Date.now() > deadline) throw new Error(`no ${n} new events in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  drop(): void {
    this.ws?.terminate();
    this.ws = null;
  }
}
