// Browser end-to-end: the settings panel against the real headless server. A bad port is refused next to its field
// and nothing is saved; a good change is saved; rotating the control token from the panel leaves the page working
// with the new token while the old one answers 401.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsView, Status } from '../../src-shared/contract';
import { ensureRendererBuilt } from './build-renderer';
import { openDashboard, type DashboardSession } from './dashboard-session';
import { startServer, type RunningServer } from './server-process';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const byTestId = (id: string) => `[data-testid="${id}"]`;

const get = async <T>(server: RunningServer, path: string, token: string) => {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
};

describe('settings panel', () => {
  let dataDir: string;
  let server: RunningServer;
  let session: DashboardSession;
  let page: Page;
  let busy: Server;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-settings-e2e-'));
    server = await startServer({ dataDir, replaySpeed: 5 });
    session = await openDashboard(server, { dataDir });
    page = session.page;
    busy = await new Promise<Server>((ok) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => ok(s));
    });
  }, 120_000);

  afterAll(async () => {
    busy?.close();
    await (session ? session.close() : server?.stop());
  });

  it('a bad port or a busy one: the error sits next to the field and nothing is saved; a good change is saved', async () => {
    await page.click(byTestId('open-settings'));
    await page.waitForSelector(byTestId('notify-trades'));
    expect(await page.isChecked(byTestId('notify-trades'))).toBe(true);
    await page.uncheck(byTestId('notify-trades'));

    await page.fill(byTestId('settings-api-port'), '80');
    await page.click(byTestId('settings-save'));
    expect(await (await page.waitForSelector(byTestId('field-error-api_port'))).textContent()).toMatch(/1024/);
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(false);

    const busyPort = (busy.address() as { port: number }).port;
    await page.fill(byTestId('settings-api-port'), String(busyPort));
    await page.click(byTestId('settings-save'));
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid="field-error-api_port"]')?.textContent?.includes(`port ${p} is in use`),
      busyPort,
    );
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(false);
    expect((await get<SettingsView>(server, '/settings', server.token)).body.settings.notifications.trades).toBe(true);
    await page.screenshot({ path: join(artifacts, 'settings-port-error.png') });

    await page.fill(byTestId('settings-api-port'), String(server.port));
    await page.click(byTestId('settings-save'));
    await page.waitForSelector(byTestId('settings-saved'));
    expect(await page.$(byTestId('field-error-api_port'))).toBeNull();
    const saved = (await get<SettingsView>(server, '/settings', server.token)).body.settings;
    expect(saved).toMatchObject({ api_port: server.port, notifications: { trades: false, errors: true } });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).notifications.trades).toBe(false);
  });

  it("a read-only token of one's own under 16 characters is refused next to the field; a good one works at once", async () => {
    await page.fill(byTestId('read-token-own'), 'too-short');
    await page.click(byTestId('read-token-new'));
    expect(await (await page.waitForSelector(byTestId('read-token-error'))).textContent()).toMatch(/at least 16 characters/);
    expect(existsSync(join(dataDir, 'api-read-token'))).toBe(false);
    const own = 'monitor-token-for-grafana-123';
    await page.fill(byTestId('read-token-own'), own);
    await page.click(byTestId('read-token-new'));
    expect((await (await page.waitForSelector(byTestId('new-read-token-value'))).textContent())?.trim()).toBe(own);
    expect((await get(server, '/bot/status', own)).status).toBe(200);
    expect(
      (
        await fetch(`${server.url}/api/v1/bot/pause`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${own}`, 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(403);
  });

  it('rotating the control token from the panel: shown once, the old token is 401, the page keeps working; another tab is signed out', async () => {
    const old = server.token;
    // a second tab signed in with the token typed in
    const other = await page.context().newPage();
    await other.goto(server.url);
    await other.fill(byTestId('login-token'), old);
    await other.click(byTestId('login-submit'));
    await other.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });

    await page.click(byTestId('rotate-token'));
    await page.click(byTestId('rotate-confirm'));
    const fresh = ((await (await page.waitForSelector(byTestId('new-control-token-value'))).textContent()) ?? '').trim();
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(join(dataDir, 'api-token'), 'utf8').trim()).toBe(fresh);
    await page.screenshot({ path: join(artifacts, 'settings-token-rotated.png') });

    expect((await get(server, '/bot/status', old)).status).toBe(401);
    expect((await get(server, '/bot/status', fresh)).status).toBe(200);
    // the page's own fetch with the old token is refused too (same browser, same origin)
    const fromPage = await page.evaluate(
      async (t) => (await fetch('/api/v1/bot/status', { headers: { Authorization: `Bearer ${t}` } })).status,
      old,
    );
    expect(fromPage).toBe(401);

    // the other tab's stream was closed (4401) and its token is gone: it asks to sign in again, saying why
    expect(await (await other.waitForSelector(byTestId('login-reason'), { timeout: 15_000 })).textContent()).toMatch(/rotated/);
    await other.close();

    await page.click(byTestId('settings-close'));
    // the event stream was closed with the old token and comes back with the new one
    await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });
    expect(await page.$(byTestId('login-screen'))).toBeNull();
    await page.click(byTestId('btn-pause'));
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="paused"]`, { timeout: 10_000 });
    expect((await get<Status>(server, '/bot/status', fresh)).body.state).toBe('paused');

    // a reload signs in from the session, which now holds the new token
    await page.reload();
    await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });
    expect(await page.$(byTestId('login-screen'))).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('botdesk.token'))).toBe(fresh);
  });
});
