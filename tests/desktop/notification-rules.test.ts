// Which bot events become desktop notifications: each kind, the switches, one cause told once, storms rate-limited.
import { describe, expect, it } from 'vitest';
import type { BotEvent, EventData, EventType, Status, Trade } from '../../src-shared/contract';
import { EventBus } from '../../src-main/engine/events/event-bus';
import {
  ALL_NOTIFICATIONS_ON,
  createNotificationRules,
  fleetAlertNotification,
  type DesktopNotification,
  type NotificationSwitches,
} from '../../src-main/desktop/notification-rules';
import { startNotificationFeed } from '../../src-main/desktop/notification-feed';
import { waitFor } from '../helpers/wait';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../../src-main/app/runtime';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import { statusOf } from '../helpers/status-fixture';

const running = statusOf({
  mode: 'live',
  exchange: 'binance',
  market: 'live',
  symbol: 'ETH/USDT',
  timeframe: '1m',
  open_positions: 1,
  last_price: 2000,
});
const paused = (reason: string | null): Status => ({ ...running, state: 'paused', paused_reason: reason, paused_at: 2 });

const trade = (over: Partial<Trade> = {}): Trade => ({
  id: 1,
  position_id: 1,
  symbol: 'ETH/USDT',
  side: 'long',
  amount: 0.5,
  entry_price: 2000,
  exit_price: 2050,
  entry_time: 1,
  exit_time: 2,
  fee: 2,
  pnl: 23,
  pnl_pct: 2.3,
  exit_reason: 'take_profit',
  config_version: 1,
  ...over,
});

/** real events, numbered and stamped by the bot's own bus */
function events() {
  const bus = new EventBus();
  const make = <T extends EventType>(type: T, data: EventData<T>): BotEvent => bus.publish(type, data);
  return {
    trade: (over: Partial<Trade> = {}) => make('trade', trade(over)),
    status: (s: Status) => make('status_change', s),
    error: (message: string, code = 'exchange_error') => make('error', { code, message }),
    log: (msg: string, fields: Record<string, unknown> = {}) => make('log', { ts: 1, level: 'error', msg, ...fields }),
    opened: () =>
      make('position', {
        id: 2,
        symbol: 'ETH/USDT',
        side: 'long',
        amount: 0.25,
        entry_price: 2010,
        current_price: 2010,
        unrealized_pnl: 0,
        entry_fee: 0.5,
        stop_loss_price: 1970,
        take_profit_price: 2090,
        opened_at: 3,
        config_version: 1,
        dust: false,
        status: 'open',
      }),
  };
}

describe('notification rules', () => {
  it('tells a closed trade with symbol, signed P&L in the quote unit and the reason, and an opened position', () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: running });
    expect(rules.take([e.trade()], 0)).toEqual([
      { kind: 'trades', title: 'ETH/USDT closed: +23.00 USDT', body: 'take-profit · 0.5 at 2000 → 2050 (+2.30%)' },
    ]);
    expect(rules.take([e.trade({ pnl: -12.5, pnl_pct: -1.25, exit_reason: 'stop_loss', exit_price: 1975 })], 1)[0]).toMatchObject({
      title: 'ETH/USDT closed: -12.50 USDT',
      body: 'stop-loss · 0.5 at 2000 → 1975 (-1.25%)',
    });
    expect(rules.take([e.opened()], 2)).toEqual([
      { kind: 'trades', title: 'Position opened: ETH/USDT', body: '0.25 at 2010 USDT; stop-loss 1970, take-profit 2090' },
    ]);
  });

  it("tells a self-pause once (not again as an error), and never a person's pause or close-all", () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: running });
    const reason = 'Daily loss limit of 3% reached; new entries paused.';
    // the kill switch publishes its error event and then the paused status, in one burst
    const told = rules.take([e.log(`pausing: ${reason}`), e.error(reason, 'daily_loss_limit'), e.status(paused(reason))], 0);
    expect(told).toEqual([
      { kind: 'self_pause', title: 'BotDesk paused itself', body: `${reason}. No new entries; open positions are still managed.` },
    ]);
    expect(rules.take([e.status(paused(reason))], 1)).toEqual([]); // the same pause again is not news
    expect(rules.take([e.status(running)], 2)).toEqual([]);
    expect(rules.take([e.status(paused(null))], 3)).toEqual([]); // Pause pressed by a person
    expect(rules.take([e.status(running), e.status(paused('close-all by tray'))], 4)).toEqual([]);
  });

  it('does not tell a pause that was there when the app started', () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: paused('5 exchange calls failed in a row') });
    expect(rules.take([e.status(paused('5 exchange calls failed in a row'))], 0)).toEqual([]);
  });

  it('with self-pause notices off, the error that announced the pause still comes through as an error', () => {
    const e = events();
    const switches: NotificationSwitches = { ...ALL_NOTIFICATIONS_ON, self_pause: false };
    const rules = createNotificationRules({ initialStatus: running, enabled: () => switches });
    const reason = 'Daily loss limit of 3% reached; new entries paused.';
    expect(rules.take([e.error(reason, 'daily_loss_limit'), e.status(paused(reason))], 0)).toEqual([
      { kind: 'errors', title: 'Daily loss limit reached', body: reason },
    ]);
  });

  it('gives an error storm one notification at once and then one summary per minute with a count', () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: running });
    const first = rules.take([e.error('fetchOpenOrders failed: 503 Service Unavailable')], 0);
    expect(first).toEqual([{ kind: 'errors', title: 'Exchange error', body: 'fetchOpenOrders failed: 503 Service Unavailable' }]);
    // 120 more in the same minute, two different messages: nothing more now
    for (let i = 0; i < 120; i++)
      expect(
        rules.take(
          [
            e.error(
              i % 2 ? 'fetchOpenOrders failed: 503 Service Unavailable' : 'order rejected: timeout',
              i % 2 ? 'exchange_error' : 'order_rejected',
            ),
          ],
          100 + i * 400,
        ),
      ).toEqual([]);
    expect(rules.dueAt).toBe(60_000);
    expect(rules.flush(59_999)).toEqual([]);
    expect(rules.flush(60_000)).toEqual([
      {
        kind: 'errors',
        title: '120 more errors in the last minute',
        body: '2 different; latest: fetchOpenOrders failed: 503 Service Unavailable',
      },
    ]);
    // the storm goes on: still nothing at once, one summary at the end of the next minute
    expect(rules.take([e.error('x'), e.error('x'), e.error('x')], 61_000)).toEqual([]);
    expect(rules.flush(120_000)).toEqual([{ kind: 'errors', title: '3 more errors in the last minute', body: 'latest: x' }]);
    // a quiet minute ends the storm without a word; the next error is told at once
    expect(rules.flush(180_000)).toEqual([]);
    expect(rules.dueAt).toBeNull();
    expect(rules.take([e.error('y')], 200_000)).toEqual([{ kind: 'errors', title: 'Exchange error', body: 'y' }]);
  });

  it('summarises a burst of trades beyond five a minute in one notice with their total', () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: running });
    const now = rules.take(
      [1, 2, 3, 4, 5, 6, 7, 8].map((i) => e.trade({ id: i, pnl: i % 2 ? i : -i })),
      0,
    );
    expect(now).toHaveLength(5);
    expect(rules.take([e.opened()], 10)).toEqual([]);
    expect(rules.flush(60_000)).toEqual([
      { kind: 'trades', title: '4 more trade notices in the last minute', body: '3 closed, -7.00 USDT in all; 1 opened' },
    ]);
  });

  it('tells a lost exchange connection once, and that it is back, and says the bot paused when it did', () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: running });
    expect(rules.take([e.log('binance: the exchange answers again', { connection: 'restored' })], 0)).toEqual([]); // never lost
    const reason = '5 exchange calls failed in a row (last: 503 Service Unavailable)';
    // the circuit breaker: log line, then the self-pause (its log, error event and status), one burst
    const lost = rules.take(
      [e.log(`binance: ${reason}`, { connection: 'lost' }), e.log(`pausing: ${reason}`), e.error(reason), e.status(paused(reason))],
      1,
    );
    expect(lost).toEqual([
      {
        kind: 'connection',
        title: 'Lost connection to the exchange',
        body: `binance: ${reason}. BotDesk paused new entries; open positions keep their protection.`,
      },
    ]);
    // market data polls failing too: the same outage, not told twice
    expect(rules.take([e.log('market data poll failed (5 in a row): timeout', { connection: 'lost' })], 2)).toEqual([]);
    expect(rules.take([e.log('binance: the exchange answers again', { connection: 'restored' })], 3)).toEqual([
      { kind: 'connection', title: 'Exchange connection is back', body: 'binance: the exchange answers again.' },
    ]);
    expect(rules.take([e.log('market data is back after 6 failed poll(s); 6 candle(s) fetched', { connection: 'restored' })], 4)).toEqual(
      [],
    );
  });

  it('with connection notices off, the same outage is told as the self-pause', () => {
    const e = events();
    const rules = createNotificationRules({ initialStatus: running, enabled: () => ({ ...ALL_NOTIFICATIONS_ON, connection: false }) });
    const reason = '5 exchange calls failed in a row (last: timeout)';
    expect(rules.take([e.log(`binance: ${reason}`, { connection: 'lost' }), e.error(reason), e.status(paused(reason))], 0)).toEqual([
      { kind: 'self_pause', title: 'BotDesk paused itself', body: `${reason}. No new entries; open positions are still managed.` },
    ]);
  });

  it('reads the switches at every event: a kind switched off says nothing, not even its held summary', () => {
    const e = events();
    const switches: NotificationSwitches = { ...ALL_NOTIFICATIONS_ON };
    const rules = createNotificationRules({ initialStatus: running, enabled: () => switches });
    expect(rules.take([e.error('a'), e.error('b')], 0)).toHaveLength(1);
    switches.errors = false;
    switches.trades = false;
    expect(rules.take([e.error('c'), e.trade()], 1)).toEqual([]);
    expect(rules.flush(60_000)).toEqual([]);
    const off: NotificationSwitches = { trades: false, self_pause: false, errors: false, connection: false };
    const silent = createNotificationRules({ initialStatus: running, enabled: () => off });
    expect(silent.take([e.trade(), e.error('x'), e.status(paused('kill switch')), e.log('lost', { connection: 'lost' })], 0)).toEqual([]);
  });
});

describe('notification feed', () => {
  const settle = () => new Promise((r) => setImmediate(r));

  it('hands the rules what one cause publishes as one burst, and shows a held summary when its window ends', async () => {
    const bus = new EventBus();
    const shown: string[] = [];
    const stop = startNotificationFeed({
      events: bus,
      rules: createNotificationRules({ initialStatus: running, errorWindowMs: 80 }),
      show: (n) => shown.push(`${n.kind}: ${n.title}`),
    });
    const reason = 'Daily loss limit of 3% reached; new entries paused.';
    bus.publish('error', { code: 'daily_loss_limit', message: reason });
    bus.publish('status_change', paused(reason));
    await settle();
    expect(shown).toEqual(['self_pause: BotDesk paused itself']);

    bus.publish('error', { code: 'exchange_error', message: 'a' });
    await settle();
    bus.publish('error', { code: 'exchange_error', message: 'b' });
    await settle();
    expect(shown).toHaveLength(2);
    await waitFor(() => shown.length === 3, 'the summary at the end of the window', 2000, 10);
    expect(shown[2]).toBe('errors: 1 more error in the last 80 ms');
    stop();
    bus.publish('trade', trade());
    await settle();
    expect(shown).toHaveLength(3);
  });

  it('with the real bot, the kill switch gives one "paused itself" notice and no error notice for the same cause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-notify-'));
    const rt = await createBotRuntime({ dataDir: dir, market: { kind: 'synthetic', seed: 11 }, replaySpeed: 'max' });
    try {
      const shown: DesktopNotification[] = [];
      const stop = startNotificationFeed({
        events: rt.events,
        rules: createNotificationRules({ initialStatus: rt.bot.status() }),
        show: (n) => shown.push(n),
      });
      await invokeOperation(
        rt.handlers,
        'updateConfig',
        { body: { max_daily_loss_pct: 0.2, position_size_pct: 30, stop_loss_pct: 1, take_profit_pct: 5 } },
        { actor: 'test' },
      );
      await waitFor(() => rt.bot.status().state === 'paused', 'the kill switch', 30_000);
      await settle();
      stop();
      const reason = rt.bot.status().paused_reason as string;
      expect(shown.filter((n) => n.kind === 'self_pause')).toEqual([
        { kind: 'self_pause', title: 'BotDesk paused itself', body: `${reason}. No new entries; open positions are still managed.` },
      ]);
      expect(shown.filter((n) => n.kind === 'errors' && n.body.includes(reason))).toEqual([]);
      expect(shown.filter((n) => n.kind === 'trades').length).toBeGreaterThan(0); // it traded its way down to the limit
    } finally {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fleet alerts as desktop notifications', () => {
  const alert = (kind: 'disconnected' | 'paused' | 'error', bot_id = 'b1') => ({
    bot_id,
    name: 'VPS Frankfurt',
    kind,
    message: `VPS Frankfurt: ${kind}`,
    ts: 1,
  });
  it('names the bot, follows the switch of its kind, and leaves this computer to the rules above', () => {
    expect(fleetAlertNotification(alert('disconnected'), ALL_NOTIFICATIONS_ON)).toEqual({
      kind: 'connection',
      title: 'BotDesk · VPS Frankfurt',
      body: 'VPS Frankfurt: disconnected',
    });
    expect(fleetAlertNotification(alert('paused'), ALL_NOTIFICATIONS_ON)?.kind).toBe('self_pause');
    expect(fleetAlertNotification(alert('error'), { ...ALL_NOTIFICATIONS_ON, errors: false })).toBeNull();
    expect(fleetAlertNotification(alert('error', 'local'), ALL_NOTIFICATIONS_ON)).toBeNull();
  });
});
