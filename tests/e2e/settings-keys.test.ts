// End to end for the exchange-keys form, against the app composed as the desktop app composes it (a keychain in
// basic_text mode, as on Linux without a keyring). The window's page runs in Chromium with a `window.botdesk` bridge
// whose calls go to the real IPC router (what the preload does): the warning and the confirmation, "stored ✓" with
// the last four, the keys gone from the page once saved. The same page opened in a browser (HTTP) shows the state
// only: keys are entered in the window, never over the management API.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src-main/desktop/secret-store';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { testKeychain } from '../helpers/test-keychain';
import { openDeskWindow } from './desk-window';
import { ensureRendererBuilt, rendererOut } from './build-renderer';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const byTestId = (id: string) => `[data-testid="${id}"]`;
const API_KEY = 'E2E-SENTINEL-apikey-98765432Wq7T';
const SECRET = 'E2E-SENTINEL-secret-1234567890abc';

describe('exchange keys form (keychain without a keyring)', () => {
  let desk: DeskHarness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-keys-e2e-'));
    desk = await startDesk({
      dataDir,
      staticDir: rendererOut,
      secrets: new FileSecretStore(dataDir, testKeychain({ protection: 'basic_text' })),
    });
    ({ browser, page } = await openDeskWindow(desk));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await desk?.close();
    if (desk) rmSync(desk.dataDir, { recursive: true, force: true });
  });

  it('warns, refuses without the confirmation (nothing saved), stores once confirmed and shows only the last four', async () => {
    await page.click(byTestId('open-settings'));
    await page.waitForSelector(byTestId('keys-basic-text'));
    expect(await page.textContent(byTestId('keys-state'))).toMatch(/No keys stored/);
    await page.fill(byTestId('keys-api-key'), API_KEY);
    await page.fill(byTestId('keys-secret'), SECRET);
    await page.click(byTestId('keys-save'));
    expect(await (await page.waitForSelector(byTestId('keys-error'))).textContent()).toMatch(/No system keyring/);
    expect(readdirSync(desk.dataDir)).not.toContain('exchange-keys.enc');

    await page.check(byTestId('keys-confirm-plaintext'));
    await page.click(byTestId('keys-save'));
    await page.waitForSelector(`${byTestId('keys-state')}[data-stored="true"]`);
    expect(await page.textContent(byTestId('keys-state'))).toMatch(/Stored ✓ binance key ····Wq7T/);
    await page.screenshot({ path: join(artifacts, 'settings-keys-stored.png') });
    // what was typed is gone from the page, and nothing the page holds has the keys
    expect(await page.inputValue(byTestId('keys-api-key'))).toBe('');
    expect(await page.inputValue(byTestId('keys-secret'))).toBe('');
    const html = await page.content();
    expect(html).not.toContain(API_KEY);
    expect(html).not.toContain(SECRET);
    expect(readdirSync(desk.dataDir)).toContain('exchange-keys.enc');
  });

  it('a key too short is refused next to its field', async () => {
    await page.fill(byTestId('keys-api-key'), 'short');
    await page.fill(byTestId('keys-secret'), SECRET);
    await page.click(byTestId('keys-save'));
    await page.waitForSelector('.keys-form .field-error');
    expect(await page.textContent('.keys-form .field-error')).toMatch(/at least 8 characters/);
    expect(await page.textContent(byTestId('keys-state'))).toMatch(/····Wq7T/);
  });

  it('live limits: saved from the window (a bad value named next to its field), applying at the next start', async () => {
    await page.waitForSelector(byTestId('live-limits-markets'));
    await page.fill(byTestId('live-limits-markets'), 'eth/btc, ETHBTC');
    await page.click(byTestId('live-limits-save'));
    expect(await (await page.waitForSelector(byTestId('live-limits-error-markets'))).textContent()).toMatch(/BASE\/QUOTE/);
    expect(desk.services.settings.get().live_limits.markets).toEqual([]);
    await page.fill(byTestId('live-limits-markets'), 'eth/btc, LTC/BTC');
    await page.fill(byTestId('live-limits-ceiling'), '4');
    await page.fill(byTestId('live-limits-max-order'), '0.05');
    await page.click(byTestId('live-limits-save'));
    expect(await (await page.waitForSelector(byTestId('live-limits-saved'))).textContent()).toMatch(/next start/);
    expect(desk.services.settings.get().live_limits).toEqual({ markets: ['ETH/BTC', 'LTC/BTC'], max_daily_loss_pct: 4, max_order: 0.05 });
  });

  it('in a browser (the management API) the keys are shown as stored only, with no form: they are entered in the window', async () => {
    const browserPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await browserPage.goto(desk.services.api.loginUrl);
    await browserPage.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });
    await browserPage.click(byTestId('open-settings'));
    await browserPage.waitForSelector(byTestId('keys-window-only'));
    expect(await browserPage.textContent(byTestId('keys-state'))).toMatch(/Stored ✓ binance key ····Wq7T/);
    expect(await browserPage.$(byTestId('keys-api-key'))).toBeNull();
    expect(await browserPage.$(byTestId('keys-save'))).toBeNull();
    // live limits: what is in force, and no form
    await browserPage.waitForSelector(byTestId('live-limits-window-only'));
    expect(await browserPage.textContent(byTestId('live-limits-in-force'))).toMatch(/daily loss limit at most 10%/);
    expect(await browserPage.$(byTestId('live-limits-save'))).toBeNull();
  });
});
