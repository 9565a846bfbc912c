// Browser end-to-end for the exchange-keys form, against the app composed as the desktop app composes it (a keychain
// in basic_text mode, as on Linux without a keyring): the warning and the confirmation, "stored ✓" with the last four,
// and the keys gone from the page once saved.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src-main/app/secret-store';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { testKeychain } from '../helpers/test-keychain';
import { launchChromium } from './browser';
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
    desk = await startDesk({ dataDir, staticDir: rendererOut, secrets: new FileSecretStore(dataDir, testKeychain({ protection: 'basic_text' })) });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(desk.services.api.loginUrl);
    await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });
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
});
