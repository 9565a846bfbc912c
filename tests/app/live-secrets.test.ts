// The exchange itself quotes the API key and secret in its error text (and a URL with the key in its query, written
// HTTPS://): a live bot against the emulator, behind the real API server, must not pass either on through the event
// stream, the replay buffer, the logs, the status, an API answer, a desktop notification or a fleet alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotEvent, FleetAlert } from '../../src-shared/contract';
import { createNotificationRules, type DesktopNotification, type NotificationRules } from '../../src-main/desktop/notification-rules';
import { startNotificationFeed } from '../../src-main/desktop/notification-feed';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { HANDS_ONLY, SYMBOL } from '../helpers/live-bot';
import { waitFor } from '../helpers/wait';
import { connectEvents, type EventClient } from '../helpers/ws-client';

/** what a careless exchange might answer: both keys in the words, the key in a signed URL's query */
const LEAKY = `Invalid key ${DEFAULT_API_KEY} for secret ${DEFAULT_SECRET}; request HTTPS://API.BINANCE.COM/api/v3/order?apiKey=${DEFAULT_API_KEY}&x=1 refused`;
const leaks = (text: string) => [DEFAULT_API_KEY, DEFAULT_SECRET].filter((s) => text.includes(s));

describe('an exchange error that quotes the keys', () => {
  let emu: BinanceEmulator;
  let api: ApiHarness;
  let live: EventClient;
  const notifications: DesktopNotification[] = [];
  const alerts: FleetAlert[] = [];
  let stopNotifications = () => {};
  let rules: NotificationRules;
  const auth = () => ({ headers: { Authorization: `Bearer ${api.token}` } });
  const wsUrl = (path: string) => `${api.url.replace('http', 'ws')}${path}`;

  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    // no addSecret here: the keys must be known for redaction because the runtime handed them to ccxt
    api = await startApi({
      runtime: {
        mode: 'live',
        market: { kind: 'live' },
        exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
        credentials: { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET },
        live: { watchEveryMs: 150 },
      },
    });
    // the desktop's wiring minus Electron: the bot's events through the notification rules, and the fleet's alerts
    stopNotifications = startNotificationFeed({
      events: api.runtime.events,
      rules: (rules = createNotificationRules({ initialStatus: api.runtime.bot.status(), errorWindowMs: 200 })),
      show: (n) => notifications.push(n),
    });
    api.runtime.fleet.onAlert((a) => alerts.push(a));
    live = await connectEvents(wsUrl('/ws/events'), auth());
  }, 60_000);
  afterAll(async () => {
    stopNotifications();
    live?.ws.close();
    await api?.close();
    await emu?.close();
  });

  it('reaches no event, replayed event, log line, answer, notification or alert', async () => {
    const fleet = await connectEvents(wsUrl('/ws/fleet'), auth());
    expect((await api.call('PUT', '/bot/config', HANDS_ONLY)).status).toBe(200);
    expect((await api.call('POST', '/bot/start')).status).toBe(200);
    expect((await api.call('POST', '/bot/positions', { size_pct: 5 })).status).toBe(200);

    // one entry refused with those words (an order_rejected error), then every call fails with them until the
    // circuit breaker pauses the bot (a self-pause whose reason quotes the last one, and a lost connection)
    emu.fault({ kind: 'error', path: '/api/v3/order', method: 'POST', code: -1013, msg: LEAKY });
    const refused = await api.call('POST', '/bot/positions', { size_pct: 5 });
    emu.fault({ kind: 'error', path: '*', code: -1000, msg: LEAKY, times: Infinity });
    const balances = await api.call('GET', '/bot/balances');
    await waitFor(async () => (await api.call('GET', '/bot/status')).body.state === 'paused', 'the self-pause', 30_000, 100);
    emu.clearFaults();
    await waitFor(
      () => notifications.some((n) => n.kind === 'connection' && /back/.test(n.title)),
      'the connection back',
      15_000,
      100,
    ).catch((e) => {
      console.log(
        JSON.stringify(notifications, null, 1),
        live.events
          .filter((x) => x.type === 'log')
          .map((x) => JSON.stringify(x.data))
          .join('\n'),
      );
      throw e;
    });
    // errors held for a window's summary have been told (the summary is scanned too)
    await waitFor(() => rules.dueAt === null, "the errors' summary", 5_000);

    const replay = await connectEvents(wsUrl('/ws/events?since=0'), auth());
    await waitFor(() => replay.events.length >= api.runtime.events.lastSeq, 'the replay', 5_000);
    const logs = await api.call('GET', '/bot/logs?level=debug&limit=1000');
    const status = await api.call('GET', '/bot/status');
    const surfaces: Record<string, string> = {
      stream: JSON.stringify(live.events),
      replay: JSON.stringify(replay.events),
      fleet_stream: JSON.stringify(fleet.events),
      logs: logs.text,
      status: status.text,
      refused_entry: refused.text,
      balances: balances.text,
      notifications: JSON.stringify(notifications),
      alerts: JSON.stringify(alerts),
    };
    replay.ws.close();
    fleet.ws.close();

    // the exchange's words did reach each of them (else the scan proves nothing) …
    const errors = live.events.filter((e): e is Extract<BotEvent, { type: 'error' }> => e.type === 'error');
    expect(errors.map((e) => e.data.code)).toEqual(expect.arrayContaining(['order_rejected', 'exchange_error']));
    for (const [where, text] of Object.entries(surfaces)) {
      if (where !== 'status') expect(text, where).toMatch(/Invalid key \[REDACTED\]/);
    }
    expect(status.body.paused_reason).toMatch(/failed in a row .*Invalid key \[REDACTED\] for secret \[REDACTED\]/);
    expect(notifications.map((n) => n.kind)).toEqual(expect.arrayContaining(['errors', 'connection']));
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(['error', 'paused']));
    // … and neither key, nor the URL's query, is in any of them
    for (const [where, text] of Object.entries(surfaces)) {
      expect(leaks(text), where).toEqual([]);
      expect(text, where).not.toMatch(/apiKey=/i);
    }
  }, 60_000);
});
