// The real `npm run serve` process with BOT_NOTIFY_FILE: a Telegram stand-in (BOT_TELEGRAM_API_URL) and webhook
// receivers that fail in every way. A trade reaches every sink exactly once, whatever the receivers did first; a hanging
// receiver holds up nothing; commands from the configured chat act and answer, from another chat do nothing;
// /closeall acts only on its button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './server-process';
import { startTelegramStandIn, type TelegramStandIn } from '../helpers/telegram-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';
import { HELD_POSITIONS } from '../helpers/held-positions';

const CHAT = 424242;
const STRANGER = 999001;
const SECRET = 'whsec-process-0123456789abcdef';

describe('notifications from a real `npm run serve`', () => {
  let server: RunningServer;
  let tg: TelegramStandIn;
  let json: WebhookReceiver;
  let discord: WebhookReceiver;
  let slack: WebhookReceiver;
  let hanging: WebhookReceiver;
  let dir: string;

  beforeAll(async () => {
    [tg, json, discord, slack, hanging] = await Promise.all([
      startTelegramStandIn(),
      startWebhookReceiver({ secret: SECRET }),
      startWebhookReceiver(),
      startWebhookReceiver(),
      startWebhookReceiver(),
    ]);
    hanging.mode = { kind: 'hang' };
    dir = mkdtempSync(join(tmpdir(), 'botdesk-notify-e2e-'));
    const file = join(dir, 'notify.json');
    writeFileSync(
      file,
      JSON.stringify({
        telegram: { token: tg.token, chat_id: CHAT },
        webhooks: [
          { url: json.url, format: 'json', secret: SECRET },
          { url: `${discord.url}/api/webhooks/1/discord-token-0123456789abcdef`, format: 'discord' },
          { url: slack.url, format: 'slack' },
          { url: hanging.url, format: 'json', secret: SECRET },
        ],
        kinds: { trades: true, self_pauses: true, errors: true, connection: true },
      }),
    );
    chmodSync(file, 0o600);
    server = await startServer({
      dataDir: join(dir, 'data'),
      replaySpeed: 20,
      env: { BOT_NOTIFY_FILE: file, BOT_TELEGRAM_API_URL: tg.url },
    });
    // no strategy entries and no exits but the test's own: the only trades are the ones this test makes
    expect((await server.api('PUT', '/bot/config', { enabled: false, ...HELD_POSITIONS })).status).toBe(200);
    await waitFor(
      async () => ((await server.api<any>('GET', '/notify')).body.telegram.state === 'polling' ? true : false),
      'Telegram polling',
    );
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([tg, json, discord, slack, hanging].map((x) => x?.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a trade reaches every sink exactly once, after 500s, a refused connection and 429s; the hanging one delays nothing', async () => {
    json.failNext(2, { kind: 'status', status: 500 });
    await discord.goAway();
    slack.failNext(1, { kind: 'status', status: 429, retryAfter: '1' });
    tg.rateLimitSends(1, 1);

    expect((await server.api('POST', '/bot/positions', {})).status).toBe(200);
    const [position] = (await server.api<any[]>('GET', '/bot/positions')).body;
    const closed = await server.api<any>('POST', `/bot/positions/${position.id}/close`, {});
    expect(closed.status).toBe(200);
    const t = closed.body.trade;
    const words = `closed by hand · ${t.amount} at ${t.entry_price} → ${t.exit_price}`;

    // the bot goes on cycling while the hanging receiver holds its own queue
    const cycleBefore = (await server.api<any>('GET', '/bot/status')).body.last_cycle_at;
    await new Promise((r) => setTimeout(r, 1500));
    await discord.comeBack();

    const atJson = () => json.accepted.filter((d) => d.json.event?.type === 'trade' && d.json.event.data.id === t.id);
    const atDiscord = () => discord.accepted.filter((d) => d.json.content.includes(words));
    const atSlack = () => slack.accepted.filter((d) => d.json.text.includes(words));
    const atTelegram = () => tg.sent.filter((m) => m.chat_id === CHAT && m.text.includes(words));
    await waitFor(
      () => atJson().length && atDiscord().length && atSlack().length && atTelegram().length,
      'the trade at every sink',
      30_000,
    );
    // retries still under way would show up here as duplicates
    await new Promise((r) => setTimeout(r, 1500));
    expect([atJson().length, atDiscord().length, atSlack().length, atTelegram().length]).toEqual([1, 1, 1, 1]);
    expect(atJson()[0].signatureOk).toBe(true);
    expect(atJson()[0].json.event).toMatchObject({ type: 'trade', data: { id: t.id, pnl: t.pnl, exit_reason: 'manual' } });
    expect((await server.api<any>('GET', '/bot/status')).body.last_cycle_at).toBeGreaterThan(cycleBefore);

    const view = (await server.api<any>('GET', '/notify')).body;
    const sink = (id: string) => view.sinks.find((s: { sink: string }) => s.sink === id);
    expect(sink('webhook_1')).toMatchObject({ state: 'ok', failed: 0 });
    expect(sink('webhook_1').retries).toBeGreaterThanOrEqual(2);
    expect(sink('webhook_2').retries).toBeGreaterThanOrEqual(1);
    expect(sink('webhook_3').retries).toBeGreaterThanOrEqual(1);
    expect(sink('telegram').retries).toBeGreaterThanOrEqual(1);
    // its first attempt is still waiting for an answer (10 s); the others queue behind it
    expect(sink('webhook_4')).toMatchObject({ delivered: 0 });
    expect(sink('webhook_4').queued).toBeGreaterThanOrEqual(2);
    const metrics = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${server.token}` } }).then((r) => r.text());
    expect(metrics).toMatch(/^botdesk_notify_queued\{sink="webhook_4"\} [1-9]/m);
    // the Discord token in the URL and the Telegram token stay out of the output
    expect(server.output()).not.toContain('discord-token-0123456789abcdef');
    expect(server.output()).not.toContain(tg.token);
  });

  it('commands from the configured chat act through the operations and answer; from another chat nothing happens', async () => {
    const repliesTo = (chat: number) => tg.sent.filter((m) => m.chat_id === chat && m.reply_markup === undefined);
    const before = repliesTo(CHAT).length;
    const handled = (id: number) => tg.offsets.some((o) => o > id);

    tg.pushMessage(CHAT, '/pause');
    await waitFor(async () => (await server.api<any>('GET', '/bot/status')).body.state === 'paused', 'the pause');
    await waitFor(() => repliesTo(CHAT).some((m) => m.text === 'Now paused.'), 'the answer to /pause');

    const stranger = tg.pushMessage(STRANGER, '/resume');
    await waitFor(() => handled(stranger), 'the stranger’s update to be read');
    await new Promise((r) => setTimeout(r, 300));
    expect((await server.api<any>('GET', '/bot/status')).body.state).toBe('paused');
    expect(tg.sent.filter((m) => m.chat_id === STRANGER)).toEqual([]);

    tg.pushMessage(CHAT, '/status');
    tg.pushMessage(CHAT, '/profit');
    tg.pushMessage(CHAT, '/frobnicate');
    await waitFor(() => repliesTo(CHAT).length >= before + 4, 'three more answers');
    const texts = repliesTo(CHAT)
      .slice(before)
      .map((m) => m.text);
    expect(texts.some((x) => /^PAUSED · PAPER · /.test(x))).toBe(true);
    expect(
      texts.some((x) => /Win rate \d+\.\d% \(\d+ won, \d+ lost of \d+\)/.test(x)),
      texts.join(' | '),
    ).toBe(true);
    expect(texts.some((x) => /^Unknown command\. Try \/status /.test(x))).toBe(true);

    const view = (await server.api<any>('GET', '/notify')).body;
    expect(view.telegram).toMatchObject({ ignored_other_chats: 1 });
    const audit = (await server.api<any>('GET', '/bot/audit?limit=50')).body.records;
    expect(audit.find((r: { action: string }) => r.action === 'pause')).toMatchObject({ actor: 'telegram' });
  });

  it('/closeall asks first and closes only on the button pressed in the configured chat', async () => {
    expect((await server.api('POST', '/bot/positions', {})).status).toBe(200);
    tg.pushMessage(CHAT, '/closeall');
    const ask = await waitFor(() => tg.sent.find((m) => m.chat_id === CHAT && m.reply_markup), 'the confirmation');
    expect(ask.text).toMatch(/^Close 1 position at market and pause entries\? Press the button within 60 s\./);
    const data = ask.reply_markup!.inline_keyboard[0][0].callback_data;
    await new Promise((r) => setTimeout(r, 500));
    expect((await server.api<any[]>('GET', '/bot/positions')).body).toHaveLength(1);

    // the same button's data from another chat: ignored, unanswered
    const foreign = tg.pushButton(STRANGER, data);
    await waitFor(async () => (await server.api<any>('GET', '/notify')).body.telegram.ignored_other_chats === 2, 'the foreign press');
    expect((await server.api<any[]>('GET', '/bot/positions')).body).toHaveLength(1);
    expect(tg.answeredCallbacks.map((a) => a.callback_query_id)).not.toContain(foreign);

    const pressed = tg.pushButton(CHAT, data);
    await waitFor(async () => (await server.api<any[]>('GET', '/bot/positions')).body.length === 0, 'the close');
    await waitFor(() => tg.answeredCallbacks.some((a) => a.callback_query_id === pressed), 'the button answered');
    await waitFor(() => tg.sent.some((m) => m.chat_id === CHAT && /^Closed 1 position/.test(m.text)), 'the close reported');
    // the button works once
    const again = tg.pushButton(CHAT, data);
    await waitFor(() => tg.answeredCallbacks.some((a) => a.callback_query_id === again), 'the second press answered');
    expect(tg.answeredCallbacks.find((a) => a.callback_query_id === again)?.text).toMatch(/expired or was used/);
    const audit = (await server.api<any>('GET', '/bot/audit?limit=50')).body.records;
    expect(audit.find((r: { action: string }) => r.action === 'close_all')).toMatchObject({ actor: 'telegram' });
  });
});
