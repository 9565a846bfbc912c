// Notifications as the app composes them (startServices on a real socket): the desktop's Settings with secrets in the
// keychain, BOT_NOTIFY_FILE headless, Send test, /metrics, a revoked Telegram token, and no secret anywhere it must
// not be. The real `npm run serve` process is exercised in tests/e2e/notify-process.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeResult, OperationName } from '../../src-shared/contract';
import { FileSecretStore } from '../../src-main/desktop/secret-store';
import { readEnv } from '../../src-main/app/env';
import { startServices } from '../../src-main/app/services';
import { createLogger } from '../../src-main/engine/log/logger';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { testKeychain } from '../helpers/test-keychain';
import { startTelegramStandIn, type TelegramStandIn } from '../helpers/telegram-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';
import { runCtl } from '../../src-main/cli/ctl/run';

const SECRET = 'whsec-settings-0123456789';
const CHAT = 5550001;
const answerOf = (r: BridgeResult<OperationName>) => ({ status: r.ok ? 200 : r.status, body: (r.ok ? r.data : r.body) as any });

function dataFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('botdesk.lock.db'))
    .map((e) => join(e.parentPath, e.name));
}

describe('notifications in the desktop app (Settings, keychain)', () => {
  let desk: DeskHarness;
  let tg: TelegramStandIn;
  let json: WebhookReceiver;
  let discord: WebhookReceiver;
  let discordUrl: string;

  beforeAll(async () => {
    tg = await startTelegramStandIn();
    json = await startWebhookReceiver({ secret: SECRET });
    discord = await startWebhookReceiver();
    // a Discord URL carries its token in the path: it must be treated as a secret
    discordUrl = `${discord.url}/api/webhooks/1234/discord-token-abcdefghijklmnopqrstuvwxyz`;
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-notify-desk-'));
    desk = await startDesk({
      dataDir,
      secrets: new FileSecretStore(dataDir, testKeychain()),
      env: { BOT_TELEGRAM_API_URL: tg.url, BOT_REPLAY_SPEED: '20' },
    });
  });
  afterAll(async () => {
    await desk?.close();
    await Promise.all([tg?.close(), json?.close(), discord?.close()]);
  });

  it('starts with nothing set up; the management API cannot change the settings', async () => {
    const view = await desk.call('GET', '/notify');
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ source: 'settings', editable: true, telegram: null, webhooks: [], sinks: [] });
    expect((await desk.call('POST', '/notify/test', {})).status).toBe(409);
    const put = await desk.call('PUT', '/notify', { kinds: { trades: false } });
    expect(put.status).toBe(404);
  });

  it('refuses a webhook that is not http(s) or points at its own API, naming the field, and saves nothing', async () => {
    const bad = answerOf(
      await desk.window('updateNotifications', { body: { webhooks: [{ url: 'ftp://example.com/x', format: 'slack' }] } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty(['webhooks.0.url']);
    const port = new URL(desk.url).port;
    const own = answerOf(
      await desk.window('updateNotifications', {
        body: { webhooks: [{ url: `http://localhost:${port}/api/v1/bot/stop`, format: 'json', secret: SECRET }] },
      }),
    );
    expect(own.status).toBe(400);
    expect(own.body.fields['webhooks.0.url']).toMatch(/own API/);
    const unsigned = answerOf(await desk.window('updateNotifications', { body: { webhooks: [{ url: json.url, format: 'json' }] } }));
    expect(unsigned.body.fields['webhooks.0.secret']).toMatch(/required for json/);
    expect((await desk.call('GET', '/notify')).body.webhooks).toEqual([]);
  });

  it('saves Telegram and webhooks in the keychain; answers, logs, events and files never hold a secret', async () => {
    const saved = answerOf(
      await desk.window('updateNotifications', {
        body: {
          telegram: { token: tg.token, chat_id: CHAT },
          webhooks: [
            { url: json.url, format: 'json', secret: SECRET },
            { url: discordUrl, format: 'discord' },
          ],
        },
      }),
    );
    expect(saved.status).toBe(200);
    expect(saved.body.notifications).toMatchObject({
      source: 'settings',
      telegram: { chat_id: CHAT, token_last4: tg.token.slice(-4) },
      webhooks: [
        { format: 'json', signed: true },
        { format: 'discord', signed: false },
      ],
    });
    expect(saved.body.notifications.sinks.map((s: { sink: string }) => s.sink)).toEqual(['telegram', 'webhook_1', 'webhook_2']);
    await waitFor(async () => (await desk.call('GET', '/notify')).body.telegram.state === 'polling', 'Telegram polling');

    // Send test: one message through every sink, each outcome reported
    discord.failNext(1, { kind: 'status', status: 500 });
    const test = await desk.call('POST', '/notify/test', {});
    expect(test.status).toBe(200);
    expect(test.body.results.map((r: any) => [r.sink, r.ok, r.detail])).toEqual([
      ['telegram', true, 'delivered'],
      ['webhook_1', true, 'delivered'],
      ['webhook_2', false, 'HTTP 500'],
    ]);
    expect(tg.sent.at(-1)).toMatchObject({ chat_id: CHAT, text: expect.stringMatching(/^BotDesk test message/) });
    expect(json.accepted.at(-1)?.json).toMatchObject({ kind: 'test', event: null });

    // a trade by hand reaches each sink once, the json one with the trade event as the stream carries it
    expect((await desk.call('POST', '/bot/positions', {})).status).toBe(200);
    const position = (await desk.call('GET', '/bot/positions')).body[0];
    const closed = await desk.call('POST', `/bot/positions/${position.id}/close`, {});
    expect(closed.status).toBe(200);
    const tradeId = closed.body.trade.id;
    const tradeNotice = (r: WebhookReceiver) =>
      r.accepted.filter((d) => d.json.event?.type === 'trade' && d.json.event.data.id === tradeId);
    await waitFor(() => tradeNotice(json).length === 1, 'the trade at the json webhook');
    const notice = tradeNotice(json)[0];
    expect(notice.signatureOk).toBe(true);
    expect(notice.json).toMatchObject({
      kind: 'trades',
      title: expect.stringMatching(/closed/),
      event: { type: 'trade', seq: expect.any(Number) },
    });
    await waitFor(() => discord.accepted.some((d) => /closed/.test(d.json.content)), 'the trade at the discord webhook');
    await waitFor(() => tg.sent.some((m) => m.chat_id === CHAT && /closed/.test(m.text)), 'the trade in the Telegram chat');

    const metrics = await fetch(`${desk.url}/metrics`, { headers: { Authorization: `Bearer ${desk.token()}` } }).then((r) => r.text());
    expect(metrics).toMatch(/^botdesk_notify_delivered_total\{sink="webhook_1"\} [1-9]/m);
    expect(metrics).toMatch(/^botdesk_notify_failed_total\{sink="webhook_2"\} 0$/m);
    expect(metrics).toMatch(/^botdesk_telegram_token_refused 0$/m);

    // nothing secret anywhere: answers, log lines, the data directory (the settings file holds only ciphertext)
    desk.services.runtime.flushLogs();
    const logs = await desk.call('GET', '/bot/logs?level=debug&limit=1000');
    const secrets = [tg.token, SECRET, discordUrl, 'discord-token-abcdefghijklmnopqrstuvwxyz'];
    const texts = [...desk.answers, ...desk.stderr, logs.text, metrics, ...dataFiles(desk.dataDir).map((f) => readFileSync(f, 'latin1'))];
    for (const secret of secrets) expect(texts.filter((t) => t.includes(secret))).toEqual([]);
    expect(readdirSync(desk.dataDir)).toContain('notify-settings.enc');
  });

  it('keeps a stored webhook by its index, switches kinds, and removes Telegram', async () => {
    const r = answerOf(
      await desk.window('updateNotifications', { body: { telegram: null, webhooks: [{ keep: 1 }], kinds: { trades: false } } }),
    );
    expect(r.status).toBe(200);
    expect(r.body.notifications).toMatchObject({
      telegram: null,
      webhooks: [{ format: 'discord' }],
      kinds: { trades: false, errors: true },
    });
    expect(answerOf(await desk.window('updateNotifications', { body: { webhooks: [{ keep: 5 }] } })).body.fields).toEqual({
      'webhooks.0.keep': 'no such stored webhook',
    });
    const audit = await desk.call('GET', '/bot/audit?limit=20');
    expect(audit.body.records.map((x: { action: string }) => x.action)).toContain('update_notifications');
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('BOT_NOTIFY_FILE (headless)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const notifyFile = (content: unknown, mode = 0o600) => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-notify-file-'));
    dirs.push(dir);
    const file = join(dir, 'notify.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    chmodSync(file, mode);
    return { dir, file };
  };
  const start = async (file: string, extra: Record<string, string> = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-notify-data-'));
    dirs.push(dataDir);
    const env = readEnv({ BOT_DATA_DIR: dataDir, BOT_API_PORT: '0', BOT_MARKET: 'synthetic', BOT_NOTIFY_FILE: file, ...extra });
    return startServices({ env, logger: createLogger(), out: () => undefined });
  };

  it('refuses at start, in one line naming the problem: mode, JSON, a field, its own API', async () => {
    const good = { webhooks: [{ url: 'https://example.com/hook', format: 'json', secret: SECRET }] };
    await expect(start(notifyFile(good, 0o644).file)).rejects.toThrow(/readable by others \(mode 0644\).*chmod 600/);
    await expect(start(notifyFile('{not json').file)).rejects.toThrow(/is not JSON/);
    await expect(start(notifyFile({ webhooks: [{ url: 'file:///etc/passwd', format: 'json', secret: SECRET }] }).file)).rejects.toThrow(
      /refused: webhooks\[0\]\.url: must be an http:\/\/ or https:\/\/ URL/,
    );
    await expect(start(notifyFile({ telegram: { token: 'nope', chat_id: 1 } }).file)).rejects.toThrow(/telegram\.token: must be the token/);
    await expect(start(notifyFile({ kinds: { trade: true } }).file)).rejects.toThrow(/kinds: Unrecognized key: "trade"/);
    const port = await freePort();
    await expect(
      start(notifyFile({ webhooks: [{ url: `http://127.0.0.1:${port}/api/v1/bot/stop`, format: 'slack' }] }).file, {
        BOT_API_PORT: String(port),
      }),
    ).rejects.toThrow(new RegExp(`webhooks\\[0\\]\\.url points at this bot's own API \\(port ${port}\\)`));
  });

  it('a token Telegram refuses: one log line, the view says so, the bot keeps trading; settings cannot be changed here', async () => {
    const tg = await startTelegramStandIn();
    try {
      tg.revoke();
      const { file } = notifyFile({ telegram: { token: tg.token, chat_id: CHAT }, kinds: { trades: true } });
      const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-notify-data-'));
      dirs.push(dataDir);
      const desk = await startDesk({
        dataDir,
        env: { BOT_NOTIFY_FILE: file, BOT_TELEGRAM_API_URL: tg.url, BOT_REPLAY_SPEED: '50' },
      });
      try {
        await waitFor(async () => (await desk.call('GET', '/notify')).body.telegram.state === 'refused', 'the refusal');
        const view = (await desk.call('GET', '/notify')).body;
        expect(view).toMatchObject({ source: 'file', editable: false, sinks: [{ sink: 'telegram', state: 'refused' }] });
        const before = (await desk.call('GET', '/bot/status')).body.last_cycle_at;
        await waitFor(async () => (await desk.call('GET', '/bot/status')).body.last_cycle_at > before, 'cycles going on');
        expect(desk.stderr.filter((l) => /Telegram refused the bot token/.test(l))).toHaveLength(1);
        expect(desk.stderr.join('\n')).not.toContain(tg.token);
        const change = answerOf(await desk.window('updateNotifications', { body: { kinds: { trades: false } } }));
        expect(change.status).toBe(409);
        expect(change.body.error).toMatch(/come from BOT_NOTIFY_FILE/);
      } finally {
        await desk.close();
      }
    } finally {
      await tg.close();
    }
  });

  it('`botdesk notify test` reports each sink; `botdesk notify` shows the counts and never a URL', async () => {
    const [json, slack] = await Promise.all([startWebhookReceiver({ secret: SECRET }), startWebhookReceiver()]);
    const { file } = notifyFile({
      webhooks: [
        { url: json.url, format: 'json', secret: SECRET },
        { url: slack.url, format: 'slack' },
      ],
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-notify-data-'));
    dirs.push(dataDir);
    const desk = await startDesk({ dataDir, env: { BOT_NOTIFY_FILE: file } });
    const ctl = async (...args: string[]) => {
      let out = '';
      let err = '';
      const env = { BOT_API_URL: desk.url, BOT_API_TOKEN_FILE: join(dataDir, 'api-token'), XDG_CONFIG_HOME: dataDir };
      const code = await runCtl(args, { env, out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    try {
      slack.failNext(1, { kind: 'status', status: 500 });
      const test = await ctl('notify', 'test');
      expect(test.code).toBe(0);
      expect(test.out).toMatch(/^ok {6}json webhook 127\.0\.0\.1:\d+ …hook: delivered \(\d+ ms\)$/m);
      expect(test.out).toMatch(/^FAILED {2}slack webhook 127\.0\.0\.1:\d+ …hook: HTTP 500 \(\d+ ms\)$/m);
      expect(json.accepted[0].signatureOk).toBe(true);
      const view = await ctl('notify');
      expect(view.out).toMatch(/^source +BOT_NOTIFY_FILE$/m);
      expect(view.out).toMatch(/webhook_2 +slack webhook/);
      for (const r of [test, view]) expect(r.out + r.err).not.toContain(slack.url);
    } finally {
      await desk.close();
      await Promise.all([json.close(), slack.close()]);
    }
  });
});
