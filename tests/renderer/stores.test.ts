// The dashboard's stores under Node, over a fake transport whose requests and answers are checked against the
// operation table: what a reconnect reloads, one trade event moving every panel at once, and answers that arrive
// after events (or after newer answers) never stepping the screen back. The browser suites show the same stores
// drawn; these pin down the orderings a browser run meets only by chance.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ConfigVersion, type Position, type Stats, type Status, type Trade } from '../../src-shared/contract';
import { ApiError } from '../../src-shared/api-client/api-error';
import { runBacktest } from '../../src-main/engine/backtest/backtest';
import { computeStats } from '../../src-main/engine/stats';
import { createDashboard, type Dashboard } from '../../src-renderer/src/stores/dashboard';
import { createConfigStore } from '../../src-renderer/src/stores/config.store';
import { createPositionsStore } from '../../src-renderer/src/stores/positions.store';
import { createStatusStore } from '../../src-renderer/src/stores/status.store';
import { createTradesStore } from '../../src-renderer/src/stores/trades.store';
import { CANDLE_STRIDE } from '../../src-main/engine/feeds/candle-file';
import { createLogsStore, LOG_TAIL_MAX } from '../../src-renderer/src/stores/logs.store';
import { createMarketStore } from '../../src-renderer/src/stores/market.store';
import { loadXrp5m } from '../helpers/candles';
import { fakeBot, later, type FakeBot } from '../helpers/fake-transport';
import { expectClose } from '../helpers/money';
import { statusOf } from '../helpers/status-fixture';

const series = loadXrp5m();
const candles = Array.from({ length: 400 }, (_, i) => {
  const [ts, open, high, low, close, volume] = series.data.subarray(i * CANDLE_STRIDE, (i + 1) * CANDLE_STRIDE);
  return { ts, open, high, low, close, volume };
});
const { trades } = await runBacktest({ series, config: { ...DEFAULT_CONFIG, stop_loss_pct: 0.5, take_profit_pct: 0.6 } });
const statsOf = (n: number): Stats =>
  computeStats({
    trades: trades.slice(0, n),
    startEquity: 10_000,
    openPositions: [],
    maxDrawdownPct: 0,
    todayStart: 10_000,
    nowTs: 0,
    stakeCurrency: 'USDT',
  });
const newestFirst = (list: Trade[]) => [...list].sort((a, b) => b.id - a.id);

const status = (patch: Partial<Status> = {}): Status => statusOf({ exchange: 'binance', uptime_s: 1, ...patch });

/** the open position a trade closed, as the server showed it before the exit */
const positionOf = (t: Trade, amount = t.amount): Position => ({
  id: t.position_id,
  symbol: t.symbol,
  side: 'long',
  amount,
  entry_price: t.entry_price,
  current_price: t.exit_price,
  unrealized_pnl: 0,
  entry_fee: 0.1,
  stop_loss_price: t.entry_price * 0.99,
  take_profit_price: t.entry_price * 1.02,
  opened_at: t.entry_time,
  config_version: 1,
  dust: false,
});

const version = (v: number, patch: Partial<typeof DEFAULT_CONFIG> = {}): ConfigVersion => ({
  version: v,
  created_at: v * 1000,
  actor: 'api:control',
  reason: `change ${v}`,
  changes: [],
  config: { ...DEFAULT_CONFIG, ...patch },
});

/** a page of the trade history as the server would cut it */
function tradePage(list: Trade[], limit: number, cursor?: string) {
  const all = newestFirst(list);
  const start = cursor ? Number(cursor.slice(1)) : 0;
  const rows = all.slice(start, start + limit);
  return {
    trades: rows,
    next_cursor: start + limit < all.length ? `c${start + limit}` : null,
    total: all.length,
    total_pnl: all.reduce((s, t) => s + t.pnl, 0),
  };
}

let dashboard: Dashboard | null = null;
afterEach(() => {
  dashboard?.dispose();
  dashboard = null;
});

/** a bot whose every snapshot operation answers: `shown` trades closed, positions as given */
function answeredBot(shown: number, positions: Position[] = []): FakeBot {
  const bot = fakeBot();
  bot.answer('getStatus', () => status({ open_positions: positions.length }));
  bot.answer('getStats', () => statsOf(shown));
  bot.answer('getPositions', () => positions);
  bot.answer('getConfig', () => ({ ...DEFAULT_CONFIG, version: 1 }));
  bot.answer('getConfigHistory', () => ({ versions: [version(1)] }));
  bot.answer('getTrades', (input) => tradePage(trades.slice(0, shown), Number(input?.query?.limit ?? 100), input?.query?.cursor));
  bot.answer('getLogs', () => [{ ts: 1, level: 'info', msg: 'started' }]);
  bot.answer('getEquity', () => ({ points: [{ ts: 1, equity: 10_000 }] }));
  bot.answer('getCandles', () => ({ symbol: 'XRP/USDT', timeframe: '5m', candles: candles.slice(0, 50) }));
  bot.answer('getBalances', () => ({
    balances: [
      { asset: 'XRP', free: 0, used: 0, total: 0 },
      { asset: 'USDT', free: 10_000, used: 0, total: 10_000 },
    ],
  }));
  return bot;
}

const settle = () => new Promise((r) => setTimeout(r, 0));
/** waits until every call in flight has been answered (answers are promises; a few turns of the loop suffice) */
async function drained() {
  for (let i = 0; i < 20; i++) await settle();
}

describe('the dashboard over its transport', () => {
  it('loads every snapshot when connected, and again after a reconnect, but the log tail only once (the stream replays it)', async () => {
    const bot = answeredBot(5);
    dashboard = createDashboard(bot.client);
    expect(bot.calls).toEqual([]); // nothing is asked before the bot is reachable
    bot.setConnection('connected');
    await drained();
    const first = bot.calls.map((c) => c.name).sort();
    expect(first).toEqual(
      expect.arrayContaining(['getStatus', 'getStats', 'getPositions', 'getConfig', 'getConfigHistory', 'getTrades', 'getLogs']),
    );
    expect(dashboard.stores.trades.getState().total).toBe(5);
    expect(dashboard.stores.status.getState().stats?.trades_count).toBe(5);
    expect(dashboard.stores.logs.getState().entries.map((e) => e.record.msg)).toEqual(['started']);
    expect(dashboard.stores.market.getState().candles.length).toBe(50);
    expect(dashboard.stores.balances.getState()).toMatchObject({
      balances: expect.arrayContaining([expect.objectContaining({ asset: 'USDT' })]),
    });
    expect(dashboard.stores.notices.getState()).toMatchObject({ notices: [] }); // every answer was taken

    bot.calls.length = 0;
    bot.setConnection('reconnecting');
    bot.setConnection('connected');
    await drained();
    const again = bot.calls.map((c) => c.name);
    expect(again).toContain('getStatus');
    expect(again).toContain('getTrades');
    expect(again).not.toContain('getLogs');
  });

  it('one trade event moves the stats, the history and the open positions in the same step', async () => {
    const closing = trades[5];
    const bot = answeredBot(5, [positionOf(closing)]);
    dashboard = createDashboard(bot.client);
    bot.setConnection('connected');
    await drained();
    const { status: s, trades: t, positions: p } = dashboard.stores;
    expect(p.getState().positions.map((x) => x.id)).toEqual([closing.position_id]);

    bot.emit('trade', closing);
    // no await: the three panels change on the event itself
    expect(s.getState().stats?.trades_count).toBe(6);
    expectClose(s.getState().stats!.realized_pnl, statsOf(6).realized_pnl, 1e-9);
    expect(t.getState().total).toBe(6);
    expect(t.getState().rows[0].id).toBe(closing.id);
    expectClose(t.getState().totalPnl, s.getState().stats!.realized_pnl, 1e-9);
    expect(p.getState().positions).toEqual([]);
  });

  it('a status event reaches the status store and asks for fresh stats at most once a second', async () => {
    const bot = answeredBot(3);
    dashboard = createDashboard(bot.client);
    bot.setConnection('connected');
    await drained();
    bot.calls.length = 0;
    for (let i = 0; i < 5; i++) bot.emit('status_change', status({ equity: 10_000 + i }));
    expect(dashboard.stores.status.getState().status?.equity).toBe(10_004);
    await drained();
    expect(bot.callsOf('getStats').length).toBe(1); // five events, one request now (a trailing one follows later)
  });

  it('a pause or resume is shown from its status event without fetching stats or prices; a cycle still fetches them', async () => {
    const bot = answeredBot(3);
    dashboard = createDashboard(bot.client);
    bot.setConnection('connected');
    await drained();
    bot.calls.length = 0;
    bot.emit('status_change', status({ state: 'paused', paused_at: 2 }));
    expect(dashboard.stores.status.getState().status?.state).toBe('paused');
    bot.emit('status_change', status({ state: 'running' }));
    await drained();
    expect(bot.calls.map((c) => c.name)).toEqual([]);

    bot.emit('status_change', status({ last_cycle_at: 2, last_price: 0.51 }));
    await drained();
    expect(bot.calls.map((c) => c.name).sort()).toEqual(['getCandles', 'getEquity', 'getPositions', 'getStats']);
  });
});

describe('trades store', () => {
  it('a trade that closes while the first page is being fetched is not lost when the older answer lands', async () => {
    const bot = fakeBot('connected');
    const held = later<ReturnType<typeof tradePage>>();
    bot.answer('getTrades', () => held.promise);
    const store = createTradesStore(bot.client);
    const loading = store.getState().load();
    store.getState().applyTrade(trades[4]); // the event beats the answer, which was computed before it
    held.resolve(tradePage(trades.slice(0, 4), 50));
    await loading;
    expect(store.getState().rows.map((r) => r.id)).toEqual(newestFirst(trades.slice(0, 5)).map((r) => r.id));
    expect(store.getState().total).toBe(5);
  });

  it('an older answer that lands after a newer one is dropped (a filter changed while the first page loaded)', async () => {
    const bot = fakeBot('connected');
    const answers = [later<ReturnType<typeof tradePage>>(), later<ReturnType<typeof tradePage>>()];
    let n = 0;
    bot.answer('getTrades', () => answers[n++].promise);
    const store = createTradesStore(bot.client);
    const first = store.getState().load();
    const second = store.getState().load({ from: trades[2].exit_time, to: null });
    answers[1].resolve(tradePage(trades.slice(2, 6), 50));
    await second;
    answers[0].resolve(tradePage(trades.slice(0, 10), 50));
    await first;
    expect(store.getState().total).toBe(4);
    expect(store.getState().filter.from).toBe(trades[2].exit_time);
    expect(bot.callsOf('getTrades')[1]).toMatchObject({ query: { from: String(trades[2].exit_time) } });
  });

  it('pages forward and back with the server cursor; a live trade that pushed a row off the first page makes Next refetch it first', async () => {
    const bot = fakeBot('connected');
    let closed = trades.slice(0, 7);
    bot.answer('getTrades', (input) => tradePage(closed, Number(input?.query?.limit), input?.query?.cursor));
    const store = createTradesStore(bot.client);
    store.setState({ pageSize: 3 });
    await store.getState().load();
    expect(store.getState().rows.map((r) => r.id)).toEqual(
      newestFirst(closed)
        .slice(0, 3)
        .map((r) => r.id),
    );
    await store.getState().nextPage();
    expect(store.getState().rows.map((r) => r.id)).toEqual(
      newestFirst(closed)
        .slice(3, 6)
        .map((r) => r.id),
    );
    await store.getState().prevPage();
    expect(store.getState().cursors).toEqual([null]);

    closed = trades.slice(0, 8);
    store.getState().applyTrade(trades[7]);
    expect(store.getState().rows.map((r) => r.id)).toEqual(
      newestFirst(closed)
        .slice(0, 3)
        .map((r) => r.id),
    );
    bot.calls.length = 0;
    await store.getState().nextPage();
    // page 2 starts where the screen ends: the first page is fetched again for a fresh cursor
    expect(bot.callsOf('getTrades').map((i) => (i as { query: { cursor?: string } }).query.cursor)).toEqual([undefined, 'c3']);
    expect(store.getState().rows.map((r) => r.id)).toEqual(
      newestFirst(closed)
        .slice(3, 6)
        .map((r) => r.id),
    );
  });

  it('keeps trades outside the filter out of the totals, and a repeated event counts once', async () => {
    const bot = fakeBot('connected');
    bot.answer('getTrades', () => tradePage(trades.slice(0, 3), 50));
    const store = createTradesStore(bot.client);
    await store.getState().load({ from: null, to: trades[2].exit_time });
    store.getState().applyTrade(trades[3]); // closed after `to`
    store.getState().applyTrade(trades[2]); // already on the page
    expect(store.getState().total).toBe(3);
  });
});

describe('positions store', () => {
  it('an event that arrives while a refresh is in flight is replayed on the older snapshot', async () => {
    const bot = fakeBot('connected');
    const held = later<Position[]>();
    bot.answer('getPositions', () => held.promise);
    const store = createPositionsStore(bot.client);
    const refreshing = store.getState().refresh();
    const opened = positionOf(trades[1]);
    store.getState().applyEvent({ ...opened, status: 'open' });
    held.resolve([positionOf(trades[0])]); // computed before the new position opened
    await refreshing;
    expect(store.getState().positions.map((p) => p.id)).toEqual([trades[0].position_id, trades[1].position_id]);
  });

  it('a partial exit leaves the rest with its share of the entry fee; a full exit removes the position', () => {
    const bot = fakeBot('connected');
    const store = createPositionsStore(bot.client);
    const t = trades[0];
    store.setState({ positions: [positionOf(t, t.amount * 4)] });
    store.getState().applyTrade(t);
    const [rest] = store.getState().positions;
    expectClose(rest.amount, t.amount * 3, 1e-12);
    expectClose(rest.entry_fee, 0.075, 1e-12);
    expectClose(rest.unrealized_pnl, (t.exit_price - t.entry_price) * t.amount * 3 - 0.075, 1e-9);
    store.getState().applyTrade({ ...t, amount: t.amount * 3 });
    expect(store.getState().positions).toEqual([]);
  });

  it('marks a position closing while its close is in flight, and clears the mark when the close fails', async () => {
    const bot = fakeBot('connected');
    const held = later<{ success: true; trade: Trade }>();
    bot.answer('closePosition', () => held.promise as never);
    const store = createPositionsStore(bot.client);
    const t = trades[0];
    store.setState({ positions: [positionOf(t)] });
    const closing = store.getState().close(t.position_id);
    expect(store.getState().closing).toEqual([t.position_id]);
    held.reject(new ApiError(409, 'the position is already closing'));
    await expect(closing).rejects.toThrow('already closing');
    expect(store.getState().closing).toEqual([]);
    expect(store.getState().positions.length).toBe(1);
  });
});

describe('config store', () => {
  it('saves only the patch with If-Match, and a refusal comes back with the server’s fields and changes nothing', async () => {
    const bot = fakeBot('connected');
    bot.answer('getConfig', () => ({ ...DEFAULT_CONFIG, version: 3 }));
    bot.answer('getConfigHistory', () => ({ versions: [version(3)] }));
    bot.answer('updateConfig', () => {
      throw new ApiError(409, 'the stake currency is fixed after the first order', { symbol: 'use another BOT_DATA_DIR' });
    });
    const store = createConfigStore(bot.client);
    await store.getState().load();
    const outcome = await store.getState().save({ symbol: 'ETH/BTC' }, 3);
    expect(bot.callsOf('updateConfig')).toEqual([{ body: { symbol: 'ETH/BTC' }, if_match: '3', query: {} }]);
    expect(outcome).toEqual({
      ok: false,
      status: 409,
      message: 'the stake currency is fixed after the first order',
      fields: { symbol: 'use another BOT_DATA_DIR' },
    });
    expect(store.getState().config?.version).toBe(3);
    expect(store.getState().saving).toBe(false);
  });

  it('never steps back to an older version, whichever arrives last (an answer or a config_changed event)', async () => {
    const bot = fakeBot('connected');
    const held = later<{ success: true; config: typeof DEFAULT_CONFIG & { version: number }; version: number }>();
    bot.answer('updateConfig', () => held.promise);
    bot.answer('getConfigHistory', () => ({ versions: [version(5, { stop_loss_pct: 2.5 }), version(4, { stop_loss_pct: 2 })] }));
    const store = createConfigStore(bot.client);
    store.setState({ config: { ...DEFAULT_CONFIG, version: 3 }, history: [version(3)] });
    const saving = store.getState().save({ stop_loss_pct: 2 }, 3);
    store.getState().applyVersion(version(5, { stop_loss_pct: 2.5 })); // someone else's later change, by event
    held.resolve({ success: true, config: { ...DEFAULT_CONFIG, stop_loss_pct: 2, version: 4 }, version: 4 });
    expect(await saving).toEqual({ ok: true, version: 4 });
    expect(store.getState().config).toMatchObject({ version: 5, stop_loss_pct: 2.5 });
    expect(store.getState().history[0].version).toBe(5);
    // a save that came from the lab names its run: it reaches the server as ?source=
    bot.answer('updateConfig', () => ({ success: true, config: { ...DEFAULT_CONFIG, stop_loss_pct: 3, version: 6 }, version: 6 }));
    await store.getState().save({ stop_loss_pct: 3 }, 5, 'lab sweep job 3, run 1');
    expect(bot.callsOf('updateConfig').at(-1)).toMatchObject({ query: { source: 'lab sweep job 3, run 1' } });
    expect(store.getState().config?.version).toBe(6);
  });
});

describe('status store', () => {
  it('a transition disables its button while in flight and shows the answer’s status; a failure re-enables it', async () => {
    const bot = fakeBot('connected');
    const held = later<{ success: true; changed: boolean; status: Status }>();
    bot.answer('pauseBot', () => held.promise as never);
    const store = createStatusStore(bot.client);
    const pausing = store.getState().transition('pause');
    expect(store.getState().busy).toBe('pause');
    held.resolve({ success: true, changed: true, status: status({ state: 'paused' }) });
    await pausing;
    expect(store.getState().status?.state).toBe('paused');
    expect(store.getState().busy).toBe(null);

    bot.answer('resumeBot', () => {
      throw new ApiError(409, 'the bot is stopped');
    });
    await expect(store.getState().transition('resume')).rejects.toThrow('stopped');
    expect(store.getState().busy).toBe(null);
  });

  it('a stats answer computed before streamed trades gets them folded in; one computed after them keeps the shown figures', async () => {
    const bot = fakeBot('connected');
    let snapshot = statsOf(2);
    bot.answer('getStats', () => snapshot);
    const store = createStatusStore(bot.client);
    await store.getState().refreshStats();
    for (const t of trades.slice(2, 6)) store.getState().applyTrade(t);
    snapshot = statsOf(4); // the answer missed trades 5 and 6
    await store.getState().refreshStats();
    expect(store.getState().stats?.trades_count).toBe(6);
    expectClose(store.getState().stats!.realized_pnl, statsOf(6).realized_pnl, 1e-9);
    snapshot = { ...statsOf(7), max_drawdown_pct: 3 }; // ahead of the stream: its trade figures wait for the event
    await store.getState().refreshStats();
    expect(store.getState().stats?.trades_count).toBe(6);
    expect(store.getState().stats?.max_drawdown_pct).toBe(3);
  });
});

describe('market store', () => {
  it('the equity curve never runs ahead of the status card: its newest point is the status figure', async () => {
    const bot = fakeBot('connected');
    const step = 300_000;
    const stored = [1, 2, 3, 4].map((i) => ({ ts: i * step, equity: 10_000 + i }));
    bot.answer('getCandles', () => ({ symbol: 'XRP/USDT', timeframe: '5m', candles: candles.slice(0, 10) }));
    bot.answer('getEquity', () => ({ points: stored }));
    bot.answer('getTrades', () => tradePage([], 300));
    const store = createMarketStore(bot.client);
    store.getState().applyStatus(status({ equity: 10_002.5, equity_ts: 2 * step }));
    await store.getState().load();
    // points 3 and 4 are stored but the status has not reached them: they wait
    expect(store.getState().equity).toEqual([stored[0], { ts: 2 * step, equity: 10_002.5 }]);
    store.getState().applyStatus(status({ equity: 10_004, equity_ts: 4 * step }));
    expect(store.getState().equity).toEqual([...stored.slice(0, 3), { ts: 4 * step, equity: 10_004 }]);
  });

  it('a trade that closes while the chart loads keeps its marker; a switch of market reloads the whole chart', async () => {
    const bot = fakeBot('connected');
    let symbol = 'XRP/USDT';
    const held = later<ReturnType<typeof tradePage>>();
    bot.answer('getCandles', () => ({ symbol, timeframe: '5m', candles: candles.slice(0, 20) }));
    bot.answer('getEquity', () => ({ points: [] }));
    bot.answer('getTrades', () => held.promise);
    const store = createMarketStore(bot.client);
    const loading = store.getState().load();
    await settle();
    const late = { ...trades[9], exit_time: candles[15].ts };
    store.getState().applyTrade(late);
    held.resolve(tradePage([], 300));
    await loading;
    expect(store.getState().chartTrades.map((t) => t.id)).toEqual([late.id]);

    bot.answer('getTrades', () => tradePage([], 300));
    symbol = 'ETH/BTC';
    bot.calls.length = 0;
    await store.getState().refreshTail();
    expect(store.getState().symbol).toBe('ETH/BTC');
    expect(bot.callsOf('getCandles').map((i) => (i as { query: { limit: string } }).query.limit)).toEqual(['20', '300']);
  });
});

describe('logs store', () => {
  it('keeps the newest LOG_TAIL_MAX lines, oldest first, and counts every line that arrived', async () => {
    const bot = fakeBot('connected');
    bot.answer('getLogs', () => [
      { ts: 2, level: 'info', msg: 'second' },
      { ts: 1, level: 'warn', msg: 'first' },
    ]);
    const store = createLogsStore(bot.client);
    await store.getState().load();
    expect(store.getState().entries.map((e) => e.record.msg)).toEqual(['first', 'second']);
    store.getState().append(Array.from({ length: LOG_TAIL_MAX }, (_, i) => ({ ts: 3 + i, level: 'debug' as const, msg: `line ${i}` })));
    const { entries, received } = store.getState();
    expect(entries.length).toBe(LOG_TAIL_MAX);
    expect(entries[0].record.msg).toBe('line 0');
    expect(received).toBe(LOG_TAIL_MAX + 2);
    expect(new Set(entries.map((e) => e.id)).size).toBe(LOG_TAIL_MAX); // list keys stay unique
  });
});
