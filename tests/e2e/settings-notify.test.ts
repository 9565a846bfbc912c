// End to end for Settings → Webhooks and Telegram, against the app composed as the desktop app composes it (a keychain
// without a keyring, so the page asks first). The window's page runs in Chromium with a `window.botdesk` bridge carried
// to the real IPC router: the token and the URL go in, Send test reports each sink, and nothing secret comes back.
// The same page over HTTP shows the state and can send a test, but has no form.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src-main/desktop/secret-store';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { testKeychain } from '../helpers/test-keychain';
import { startTelegramStandIn, type TelegramStandIn } from '../helpers/telegram-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { openDeskWindow } from './desk-window';
import { ensureRendererBuilt, rendererOut } from './build-renderer';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const byTestId = (id: string) => `[data-testid="${id}"]`;

describe('Settings → Webhooks and Telegram (desktop window)', () => {
  let desk: DeskHarness;
  let browser: Browser;
  let page: Page;
  let tg: TelegramStandIn;
  let slack: WebhookReceiver;

  beforeAll(async () => {
    await ensureRendererBuilt();
    [tg, slack] = await Promise.all([startTelegramStandIn(), startWebhookReceiver()]);
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-notify-e2e-'));
    desk = await startDesk({
      dataDir,
      staticDir: rendererOut,
      secrets: new FileSecretStore(dataDir, testKeychain({ protection: 'basic_text' })),
      env: { BOT_TELEGRAM_API_URL: tg.url },
    });
    ({ browser, page } = await openDeskWindow(desk));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await desk?.close();
    await Promise.all([tg?.close(), slack?.close()]);
    if (desk) rmSync(desk.dataDir, { recursive: true, force: true });
  });

  it('asks before storing without a keyring, then sends a test through each sink; the page never holds a secret', async () => {
    await page.click(byTestId('open-settings'));
    await page.waitForSelector(byTestId('notify-note'));
    await page.fill(byTestId('notify-telegram-token'), tg.token);
    await page.fill(byTestId('notify-telegram-chat'), '777');
    await page.click(byTestId('notify-telegram-save'));
    await page.waitForSelector(byTestId('notify-basic-text'));
    expect(readdirSync(desk.dataDir)).not.toContain('notify-settings.enc');
    await page.check(`${byTestId('notify-basic-text')} input`);
    await page.click(byTestId('notify-telegram-save'));
    await page.waitForSelector(byTestId('notify-sink-telegram'));
    expect(await page.inputValue(byTestId('notify-telegram-token'))).toBe('');

    await page.fill(byTestId('notify-webhook-url'), slack.url);
    await page.selectOption(byTestId('notify-webhook-format'), 'slack');
    await page.click(byTestId('notify-webhook-add'));
    await page.waitForSelector(byTestId('notify-sink-webhook_1'));
    expect(await page.textContent(byTestId('notify-webhook-0'))).toMatch(/^slack webhook 127\.0\.0\.1:\d+ …hook/);

    await page.click(byTestId('notify-test'));
    const results = await (await page.waitForSelector(byTestId('notify-test-results'))).textContent();
    expect(results).toMatch(/Telegram chat 777: delivered/);
    expect(results).toMatch(/slack webhook .*: delivered/);
    // one test message, to the configured chat (the bot's own trade notices may go there too while it trades)
    expect(tg.sent.filter((m) => /test message/i.test(m.text)).map((m) => m.chat_id)).toEqual([777]);
    expect(new Set(tg.sent.map((m) => m.chat_id))).toEqual(new Set([777]));
    expect(slack.accepted[0].json.text).toMatch(/BotDesk test message/);
    await page.screenshot({ path: join(artifacts, 'settings-notify.png') });
    const html = await page.content();
    expect(html).not.toContain(tg.token);
    expect(html).not.toContain(slack.url);
  });
});
