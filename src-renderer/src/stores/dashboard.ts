import type { BotEvent, LogRecord, Status } from '../../../src-shared/contract';
import { errorMessage } from '../../../src-shared/api-client/api-error';
import type { BotClient } from '../../../src-shared/api-client/bot-client';
import { createBalancesStore } from './balances.store';
import { createConfigStore } from './config.store';
import { createLabStore } from './lab.store';
import { createLogsStore } from './logs.store';
import { createMarketStore } from './market.store';
import { createNoticesStore } from './notices.store';
import { createPositionsStore } from './positions.store';
import { createStatusStore } from './status.store';
import { throttle } from './throttle';
import { createTradesStore } from './trades.store';

export type Dashboard = ReturnType<typeof createDashboard>;

/** Candle-driven refreshes (stats, current prices, chart tail) at most this often. */
const SLOW_REFRESH_MS = 1000;
/** Log lines arrive in bursts; the view is repainted at most this often. */
const LOG_FLUSH_MS = 200;

/** the figures a status carries from the market and the account (anything but the bot's state and its reasons) */
const marketMoved = (a: Status, b: Status) =>
  a.last_cycle_at !== b.last_cycle_at ||
  a.last_price !== b.last_price ||
  a.equity !== b.equity ||
  a.equity_ts !== b.equity_ts ||
  a.today_pnl !== b.today_pnl ||
  a.open_positions !== b.open_positions ||
  a.pending_orders !== b.pending_orders;

/**
 * All stores over one client, and the wiring from the event stream into them. The stores never learn which transport
 * carries their calls; after every (re)connection they reload their snapshots, since events may have been missed.
 */
export function createDashboard(client: BotClient) {
  const stores = {
    status: createStatusStore(client),
    positions: createPositionsStore(client),
    trades: createTradesStore(client),
    logs: createLogsStore(client),
    config: createConfigStore(client),
    market: createMarketStore(client),
    balances: createBalancesStore(client),
    lab: createLabStore(client),
    notices: createNoticesStore(),
  };
  const report = (e: unknown) => stores.notices.getState().push('error', errorMessage(e));
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined);

  const refreshStats = throttle(() => void quietly(stores.status.getState().refreshStats()), SLOW_REFRESH_MS);
  const refreshPrices = throttle(() => {
    void quietly(stores.positions.getState().refresh());
    void quietly(stores.market.getState().refreshTail());
  }, SLOW_REFRESH_MS);

  // fills move the account: refreshed after position and trade events, at most once a second
  const refreshBalances = throttle(() => void quietly(stores.balances.getState().refresh()), SLOW_REFRESH_MS);

  let pendingLogs: LogRecord[] = [];
  const flushLogs = throttle(() => {
    stores.logs.getState().append(pendingLogs);
    pendingLogs = [];
  }, LOG_FLUSH_MS);

  function onEvent(event: BotEvent): void {
    switch (event.type) {
      case 'status_change': {
        const before = stores.status.getState().status;
        stores.status.getState().applyStatus(event.data);
        // a pause, resume, start or stop moves no figure: only a cycle (or a fill) has stats and prices to fetch, and
        // fetching them on a click would compete with showing its answer
        if (!before || marketMoved(before, event.data)) {
          refreshStats();
          refreshPrices();
        }
        break;
      }
      case 'trade':
        // one event, one render: the stats, the history and the open positions change together
        stores.status.getState().applyTrade(event.data);
        stores.trades.getState().applyTrade(event.data);
        stores.positions.getState().applyTrade(event.data);
        refreshBalances();
        stores.market.getState().applyTrade(event.data);
        refreshStats();
        break;
      case 'position':
        // a closed position leaves with its trade event, so its entry fee moves into the trade fees in one render
        if (event.data.status === 'open') stores.positions.getState().applyEvent(event.data);
        refreshBalances();
        break;
      case 'config_changed':
        stores.config.getState().applyVersion(event.data);
        void quietly(stores.status.getState().refresh());
        break;
      case 'log':
        pendingLogs.push(event.data);
        flushLogs();
        break;
      case 'error':
        stores.notices.getState().push('warn', event.data.message);
        break;
      case 'job':
        stores.lab.getState().applyJobEvent(event.data);
        break;
      case 'order':
      case 'signal':
      case 'fleet':
        break;
    }
  }

  let loadedOnce = false;
  async function resync(): Promise<void> {
    const s = stores;
    const first = !loadedOnce;
    loadedOnce = true;
    await Promise.all([
      s.status.getState().refresh(),
      s.status.getState().refreshStats(),
      s.positions.getState().refresh(),
      s.config.getState().load(),
      s.config.getState().loadHistory(),
      s.market.getState().load(),
      s.balances.getState().refresh(),
      // a later page stays where the user is; the first page picks up what was missed
      s.trades.getState().cursors.length === 1 ? s.trades.getState().load() : Promise.resolve(),
      // afterwards the log tail is fed by the stream alone (its replay covers a reconnect), so lines never repeat
      first ? s.logs.getState().load() : Promise.resolve(),
      // the lab's lists are read when the Lab is first opened, and again after each reconnect from then on
      s.lab.getState().loaded ? s.lab.getState().load() : Promise.resolve(),
    ]).catch(report);
  }

  // the equity curve's newest point is the status card's figure, however the status arrived (event or answer)
  const unsubscribeStatus = stores.status.subscribe((now, before) => {
    if (now.status && now.status !== before.status) stores.market.getState().applyStatus(now.status);
  });
  const unsubscribeEvents = client.subscribe(undefined, onEvent);
  const unsubscribeConnection = client.connection.subscribe((state) => {
    if (state === 'connected') void resync();
  });
  if (client.connection.get() === 'connected') void resync();

  return {
    client,
    stores,
    report,
    dispose() {
      unsubscribeEvents();
      unsubscribeStatus();
      unsubscribeConnection();
      refreshStats.cancel();
      refreshPrices.cancel();
      refreshBalances.cancel();
      flushLogs.cancel();
      client.close();
    },
  };
}
