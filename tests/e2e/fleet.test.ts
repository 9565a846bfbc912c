// The fleet overview in Chromium: three real headless servers, one the hub whose dashboard manages the other two
// (added through the dialog and the API), per-row control, a remote bot's full dashboard through the hub, a bot
// that goes down, pause-all with it down, and the close-all confirmation listing every bot.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetBot, Status } from '../../src-shared/contract';
import { ensureRendererBuilt } from './build-renderer';
import { openDashboard, type DashboardSession } from './dashboard-session';
import { startServer, type RunningServer } from './server-process';
import { HELD_POSITIONS } from '../helpers/held-positions';

const root = resolve(import.meta.dirname, '../..');
const artifacts = join(root, 'test-artifacts');
const byTestId = (id: string) => `[data-testid="${id}"]`;
const dirs: string[] = [];
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `botdesk-e2e-fleet-${name}-`));
  dirs.push(d);
  return d;
};

describe('fleet overview in the browser', () => {
  let hub: RunningServer;
  let bravo: RunningServer;
  let charlie: RunningServer;
  let session: DashboardSession;
  let page: Page;
  const ids: Record<string, string> = {};
  const row = (id: string) => `${byTestId('fleet-row')}[data-bot-id="${id}"]`;
  const state = async (s: RunningServer) => (await s.api<Status>('GET', '/bot/status')).body.state;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await ensureRendererBuilt();
    [hub, bravo, charlie] = await Promise.all([
      startServer({ dataDir: tempDir('hub') }),
      // another market and quote currency, so its dashboard and the per-quote totals are told apart
      startServer({ dataDir: tempDir('bravo'), env: { BOT_MARKET: `replay:${join(root, 'tests/fixtures/candles/ALT_BTC-1m.json')}` } }),
      startServer({ dataDir: tempDir('charlie') }),
    ]);
    session = await openDashboard(hub);
    page = session.page;
    page.on('pageerror', (e) => console.error('page error:', e.message));
  }, 90_000);

  afterAll(async () => {
    await session?.close();
    await Promise.all([bravo?.stop(), charlie?.stop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('opens the fleet from the dashboard and adds a bot through the dialog, SSH tunnel first', async () => {
    await page.click(byTestId('open-fleet'));
    await page.waitForSelector(row('local'));
    await page.click(byTestId('fleet-add'));
    await page.fill(byTestId('ssh-user'), 'ana');
    await page.fill(byTestId('ssh-host'), 'vps.example.com');
    await page.fill(byTestId('ssh-local-port'), '18081');
    expect(await page.textContent(byTestId('ssh-command'))).toBe('ssh -N -L 18081:127.0.0.1:8080 ana@vps.example.com');
    expect(await page.inputValue(byTestId('add-url'))).toBe('http://127.0.0.1:18081');

    // plain http off this machine asks for the VPN confirmation before it can be sent
    await page.fill(byTestId('add-url'), 'http://10.1.2.3:8080');
    await page.waitForSelector(byTestId('add-vpn'));
    await page.fill(byTestId('add-name'), 'Bravo');
    await page.fill(byTestId('add-token'), bravo.token);
    expect(await page.isDisabled(byTestId('add-submit'))).toBe(true);

    // a wrong token: one sentence, the dialog stays open
    await page.fill(byTestId('add-url'), bravo.url);
    await page.fill(byTestId('add-token'), 'y'.repeat(43));
    await page.click(byTestId('add-submit'));
    expect(await (await page.waitForSelector(byTestId('add-error'))).textContent()).toMatch(/refused this token/);

    await page.fill(byTestId('add-token'), bravo.token);
    await page.click(byTestId('add-submit'));
    await page.waitForSelector(byTestId('add-bot-dialog'), { state: 'detached' });
    const fleet = (await hub.api<{ bots: FleetBot[] }>('GET', '/fleet')).body;
    ids.bravo = fleet.bots.find((b) => b.name === 'Bravo')!.id;
    const added = await hub.api<{ bot: FleetBot }>('POST', '/fleet/bots', { name: 'Charlie', url: charlie.url, token: charlie.token });
    ids.charlie = added.body.bot.id;

    for (const id of [ids.bravo, ids.charlie]) await page.waitForSelector(`${row(id)} [data-connection="connected"]`, { timeout: 15_000 });
    await page.waitForSelector(`${row(ids.bravo)} ${byTestId('fleet-mode')}`);
    expect(await page.textContent(row(ids.bravo))).toContain('ALT/BTC');
    expect(
      await page.$$eval('[data-testid="fleet-totals"] [data-quote]', (els) => els.map((e) => e.getAttribute('data-quote')).sort()),
    ).toEqual(['BTC', 'USDT']);
    expect(await page.content()).not.toContain(bravo.token);
    await page.screenshot({ path: join(artifacts, 'fleet-overview.png'), fullPage: true });
  });

  it('renames a bot in place and removes one after a confirmation', async () => {
    await page.click(`${row(ids.charlie)} ${byTestId('fleet-rename')}`);
    await page.fill(`${row(ids.charlie)} ${byTestId('fleet-rename-input')}`, 'Charlie VPS');
    await page.press(`${row(ids.charlie)} ${byTestId('fleet-rename-input')}`, 'Enter');
    await page.waitForSelector(`${row(ids.charlie)} ${byTestId('fleet-open')}:has-text("Charlie VPS")`);
    expect((await hub.api<{ bots: FleetBot[] }>('GET', '/fleet')).body.bots.find((b) => b.id === ids.charlie)?.name).toBe('Charlie VPS');
    await page.click(`${row(ids.charlie)} ${byTestId('fleet-rename')}`);
    await page.fill(`${row(ids.charlie)} ${byTestId('fleet-rename-input')}`, 'Charlie');
    await page.click(`${row(ids.charlie)} ${byTestId('fleet-rename-save')}`);
    await page.waitForSelector(`${row(ids.charlie)} ${byTestId('fleet-open')}:has-text("Charlie")`);

    const extra = await hub.api<{ bot: FleetBot }>('POST', '/fleet/bots', {
      name: 'Spare',
      url: charlie.url.replace('127.0.0.1', 'localhost'),
      token: charlie.token,
    });
    await page.waitForSelector(row(extra.body.bot.id));
    await page.click(`${row(extra.body.bot.id)} ${byTestId('fleet-remove')}`);
    expect(await page.textContent(byTestId('confirm-text'))).toMatch(/keeps running/);
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(row(extra.body.bot.id), { state: 'detached' });
    expect((await hub.api<{ bots: FleetBot[] }>('GET', '/fleet')).body.bots.map((b) => b.id)).not.toContain(extra.body.bot.id);
  });

  it("a row's pause reaches that bot only", async () => {
    const before = await state(bravo);
    await page.click(`${row(ids.charlie)} ${byTestId('fleet-pause')}`);
    await page.waitForSelector(`${row(ids.charlie)}[data-state="paused"]`, { timeout: 10_000 });
    expect(await state(charlie)).toBe('paused');
    expect(await state(bravo)).toBe(before);
    expect(await state(hub)).toBe('running');
    await page.click(`${row(ids.charlie)} ${byTestId('fleet-resume')}`);
    await page.waitForSelector(`${row(ids.charlie)}[data-state="running"]`, { timeout: 10_000 });
  });

  it("one click opens a remote bot's full dashboard, driven through the hub", async () => {
    await page.click(`${row(ids.bravo)} ${byTestId('fleet-open')}`);
    await page.waitForSelector(`${byTestId('bot-name')}:has-text("Bravo")`);
    await page.waitForSelector(`${byTestId('status-market')}:has-text("ALT/BTC")`, { timeout: 15_000 });
    await page.waitForSelector(`${byTestId('connection')}[data-state="connected"]`);
    await page.click(byTestId('btn-pause'));
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="paused"]`, { timeout: 10_000 });
    expect(await state(bravo)).toBe('paused');
    expect(await state(hub)).toBe('running');
    // its events arrive through the hub: the bot's resume (made elsewhere) shows up here
    await bravo.api('POST', '/bot/resume');
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="running"]`, { timeout: 10_000 });
    await page.screenshot({ path: join(artifacts, 'fleet-remote-dashboard.png'), fullPage: true });
    await page.click(byTestId('open-fleet'));
    await page.waitForSelector(row(ids.bravo));
  });

  it('a bot that goes down is shown and alerted; pause all pauses the others and reports it', async () => {
    await charlie.stop('SIGKILL');
    await page.waitForSelector(`${row(ids.charlie)} [data-connection="disconnected"]`, { timeout: 15_000 });
    await page.waitForSelector(`${byTestId('fleet-alerts')} li[data-kind="disconnected"][data-bot-id="${ids.charlie}"]`);
    expect(await page.textContent(byTestId('fleet-alerts'))).toContain('Charlie disconnected');

    await page.click(byTestId('fleet-pause-all'));
    expect(await page.textContent(byTestId('confirm-text'))).toContain('Charlie');
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(byTestId('fleet-outcomes'));
    expect(await page.getAttribute(`${byTestId('fleet-outcomes')} li[data-bot-id="${ids.charlie}"]`, 'data-result')).toBe('unreachable');
    expect(await page.getAttribute(`${byTestId('fleet-outcomes')} li[data-bot-id="${ids.bravo}"]`, 'data-result')).toBe('ok');
    expect(await state(bravo)).toBe('paused');
    expect(await state(hub)).toBe('paused');
    await page.screenshot({ path: join(artifacts, 'fleet-pause-all.png'), fullPage: true });
  });

  it('close all everywhere first lists every bot and its positions', async () => {
    // a position that nothing can close while the list is read
    const configured = await hub.api('PUT', '/bot/config', HELD_POSITIONS);
    expect(configured.status, JSON.stringify(configured.body)).toBe(200);
    const entry = await hub.api('POST', '/bot/positions', { size_pct: 5 });
    expect(entry.status, JSON.stringify(entry.body)).toBe(200);
    // Bravo flat (it is paused, but may hold what its replay bought before): the list must say so for a bot with none
    await bravo.api('POST', '/bot/close-all');
    await page.click(byTestId('fleet-close-all'));
    const list = await page.waitForSelector(byTestId('close-all-list'), { timeout: 10_000 });
    const text = (await list.textContent()) ?? '';
    expect(text).toContain('This computer');
    expect(text).toMatch(/This computer: [\d.,]+ XRP\/USDT @/);
    expect(text).toMatch(/Bravo: no open positions/);
    expect(text).toMatch(/Charlie: cannot be read/);
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(`${byTestId('fleet-outcomes')} li[data-bot-id="local"][data-result="ok"]`);
    expect((await hub.api<unknown[]>('GET', '/bot/positions')).body).toEqual([]);
  });
});
