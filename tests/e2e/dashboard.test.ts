// Browser end-to-end: the built dashboard served by the real headless server, driven in Chromium.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position, Status, Trade, VersionedConfig } from '../../src-shared/contract';
import { launchChromium } from './browser';
import { ensureRendererBuilt } from './build-renderer';
import { startServer, type RunningServer } from './server-process';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `dashboard-${name}.png`), fullPage: true });
const byTestId = (id: string) => `[data-testid="${id}"]`;

/** settings that make the bot trade often on replayed candles, so a test sees trades within seconds */
const BUSY_CONFIG = { stop_loss_pct: 0.3, take_profit_pct: 0.4, position_size_pct: 10, max_positions: 5, max_daily_loss_pct: 0 };
/** positions that stay open: entries on dips, SL/TP and the exit signal out of reach */
const HOLDING_CONFIG = {
  stop_loss_pct: 50,
  take_profit_pct: 1000,
  strategy: { name: 'rsi_reversion', params: { period: 14, oversold: 45, overbought: 99 } },
};

async function waitUntil<T>(check: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dashboard in the browser', () => {
  let dataDir: string;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const badgeState = () => page.getAttribute(byTestId('state-badge'), 'data-state');
  const waitForState = (state: Status['state']) =>
    page.waitForSelector(`${byTestId('state-badge')}[data-state="${state}"]`, { timeout: 15_000 });
  const status = async () => (await server.api<Status>('GET', '/bot/status')).body;
  const openTab = (id: 'trades' | 'logs' | 'config') => page.click(byTestId(`tab-${id}`));

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-e2e-'));
    server = await startServer({ dataDir, replaySpeed: 40 });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in with the one-time link, drops the fragment and keeps the token in this tab only', async () => {
    expect(server.loginUrl, `the server printed no #login= link:\n${server.output()}`).toBeTruthy();
    await page.goto(server.loginUrl as string);
    await page.waitForSelector(`${byTestId('connection')}[data-state="connected"]`, { timeout: 15_000 });
    await page.waitForSelector(byTestId('state-badge'));
    expect(page.url()).not.toContain('#login=');
    const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: Object.keys(localStorage) }));
    expect(stored.session).toContain('botdesk.token');
    expect(stored.local).toEqual([]);
    // a marker that only survives as long as the page is never reloaded
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await shot(page, 'overview');
  });

  it('refuses a wrong token on the login screen and accepts the right one', async () => {
    // its own window: a second tab in the same window would leave the main page hidden, with its timers throttled
    const otherContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const other = await otherContext.newPage();
    await other.goto(server.url + '/');
    await other.waitForSelector(byTestId('login-screen'));
    await other.fill(byTestId('login-token'), 'not-the-token-at-all-0000');
    await other.click(byTestId('login-submit'));
    await other.waitForSelector(byTestId('login-error'));
    await shot(other, 'login-error');
    await other.fill(byTestId('login-token'), server.token);
    await other.click(byTestId('login-submit'));
    await other.waitForSelector(`${byTestId('connection')}[data-state="connected"]`);
    // a token the server no longer accepts sends the tab back to the login screen
    await other.evaluate(() => sessionStorage.setItem('botdesk.token', 'revoked-token-000000000000'));
    await other.reload();
    await other.waitForSelector(byTestId('login-screen'));
    await otherContext.close();
  });

  it('stops and starts the bot, the status card following without a reload', async () => {
    expect((await server.api('PUT', '/bot/config', BUSY_CONFIG)).status).toBe(200);
    // a fresh install trades at once (paper, replay), so the newcomer sees it working
    await waitForState('running');
    await page.click(byTestId('btn-stop'));
    await waitForState('stopped');
    expect((await status()).state).toBe('stopped');
    await shot(page, 'overview-stopped');
    await page.click(byTestId('btn-start'));
    await waitForState('running');
    expect((await status()).state).toBe('running');
    // transitions made elsewhere (another tool on the API) show up through the event stream
    await server.api('POST', '/bot/pause', {});
    await waitForState('paused');
    await server.api('POST', '/bot/resume', {});
    await waitForState('running');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('shows a new trade in the history table and as a marker on the price chart', async () => {
    const before = (await server.api<{ total: number }>('GET', '/bot/trades?limit=1')).body.total;
    await openTab('trades');
    const newest = await waitUntil(
      async () => {
        const page1 = (await server.api<{ total: number; trades: Trade[] }>('GET', '/bot/trades?limit=1')).body;
        return page1.total > before ? page1.trades[0] : null;
      },
      'a new trade',
      60_000,
    );
    // the row arrives through the event stream, without a reload
    await page.waitForSelector(`${byTestId('trade-row')}[data-trade-id="${newest.id}"]`, { timeout: 15_000 });
    await waitUntil(
      async () => Number(await page.getAttribute(byTestId('price-chart-canvas'), 'data-markers')) > 0,
      'a trade marker on the chart',
    );
    const apiTotal = (await server.api<{ total: number }>('GET', '/bot/trades?limit=1')).body.total;
    // the table's total follows the stream
    await waitUntil(async () => Number(await page.textContent(byTestId('trades-total'))) >= apiTotal, 'the trade total');
    await shot(page, 'overview-trading');
    await page.locator(byTestId('trades')).screenshot({ path: join(artifacts, 'dashboard-trades.png') });
  });

  it('rejects an invalid config in the form, sends nothing, and the stored config stays as it was', async () => {
    const stored = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    await openTab('config');
    await page.fill(byTestId('config-field-stop_loss_pct'), '0');
    await page.fill(byTestId('config-field-position_size_pct'), '60');
    await page.click(byTestId('config-review'));
    await page.waitForSelector(byTestId('config-error-stop_loss_pct'));
    expect(await page.textContent(byTestId('config-error-stop_loss_pct'))).toMatch(/between 0.1 and 50/);
    expect(await page.textContent(byTestId('config-error-position_size_pct'))).toMatch(/× max_positions/);
    expect(await page.isVisible(byTestId('config-diff'))).toBe(false);
    await shot(page, 'config-invalid');
    const after = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    expect(after).toEqual(stored);
    await page.click(byTestId('config-discard'));
  });

  it('shows what will change, saves a valid config and the bot applies the new version', async () => {
    const before = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    await page.fill(byTestId('config-field-take_profit_pct'), '0.5');
    await page.click(byTestId('config-review'));
    await page.waitForSelector(byTestId('config-diff'));
    const diff = await page.textContent(byTestId('config-diff'));
    expect(diff).toContain('take_profit_pct');
    expect(diff).toContain('0.4');
    expect(diff).toContain('0.5');
    await shot(page, 'config-diff');
    await page.click(byTestId('config-save'));
    await page.waitForSelector(byTestId('config-saved'));
    const after = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    expect(after.version).toBe(before.version + 1);
    expect(after.take_profit_pct).toBe(0.5);
    // the running bot picks it up on its next cycle, and the status card says so
    await page.waitForSelector(`${byTestId('status-config-version')}[data-version="${after.version}"][data-applied="${after.version}"]`, {
      timeout: 15_000,
    });
    const s = await status();
    expect(s.config_version).toBe(after.version);
    expect(s.applied_config_version).toBe(after.version);
    // the history lists the new version, with a way back
    await page.waitForSelector(`${byTestId('config-history-row')}[data-version="${after.version}"]`);
    expect(await page.$$(byTestId('config-restore'))).not.toHaveLength(0);
  });

  it('pauses and resumes', async () => {
    await page.click(byTestId('btn-pause'));
    await waitForState('paused');
    expect((await status()).state).toBe('paused');
    expect(await page.isVisible(byTestId('paused-reason'))).toBe(false); // paused by a user, not by itself
    await page.click(byTestId('btn-resume'));
    await waitForState('running');
    expect((await status()).state).toBe('running');
  });

  it('closes all after a confirmation that says what will happen: positions empty, paused with a reason', async () => {
    // positions that stay open until closed by hand: entries on every dip below RSI 45, exits practically never
    expect((await server.api('PUT', '/bot/config', { ...HOLDING_CONFIG })).status).toBe(200);
    const open = await waitUntil(
      async () => {
        const positions = (await server.api<Position[]>('GET', '/bot/positions')).body;
        return positions.length > 0 ? positions : null;
      },
      'an open position',
      60_000,
    );
    await page.waitForSelector(byTestId('position-row'));
    await page.screenshot({ path: join(artifacts, 'dashboard-positions.png') });
    await page.click(byTestId('btn-close-all'));
    await page.waitForSelector(byTestId('confirm-dialog'));
    const text = await page.textContent(byTestId('confirm-text'));
    expect(text).toMatch(/Pause entries and close \d+ open positions? at market/);
    expect(open.length).toBeGreaterThan(0);
    await shot(page, 'close-all-confirm');
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(byTestId('positions-empty'));
    await waitForState('paused');
    await page.waitForSelector(byTestId('paused-reason'));
    // a person's close-all pauses in their name: the card must not say the bot paused itself
    expect(await page.textContent(byTestId('paused-reason'))).toMatch(/^Paused: close-all by /);
    expect((await server.api<Position[]>('GET', '/bot/positions')).body).toEqual([]);
    const s = await status();
    expect(s.state).toBe('paused');
    expect(s.paused_reason).toBeTruthy();
    await shot(page, 'after-close-all');
    expect((await server.api('PUT', '/bot/config', { ...BUSY_CONFIG, strategy: { name: 'ema_cross', params: {} } })).status).toBe(200);
  });

  it('closes one position from its row, cancels pending orders and restores an older config, each after a confirmation', async () => {
    expect((await server.api('PUT', '/bot/config', { ...HOLDING_CONFIG })).status).toBe(200);
    await server.api('POST', '/bot/resume', {});
    const position = await waitUntil(
      async () => (await server.api<Position[]>('GET', '/bot/positions')).body[0],
      'an open position',
      60_000,
    );
    const row = `${byTestId('position-row')}[data-position-id="${position.id}"]`;
    await page.waitForSelector(row);
    await page.click(`${row} ${byTestId('position-close')}`);
    await page.waitForSelector(byTestId('confirm-dialog'));
    expect(await page.textContent(byTestId('confirm-dialog'))).toContain(`Close position #${position.id}?`);
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(row, { state: 'detached' });
    const trades = (await server.api<{ trades: Trade[] }>('GET', '/bot/trades?limit=20')).body.trades;
    expect(trades.find((t) => t.position_id === position.id)?.exit_reason).toBe('manual');

    await page.click(byTestId('btn-cancel-pending'));
    await page.waitForSelector(byTestId('confirm-dialog'));
    expect(await page.textContent(byTestId('confirm-text'))).toMatch(
      /Stop-loss and take-profit orders protecting open positions are not touched/,
    );
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(byTestId('confirm-dialog'), { state: 'detached' });
    // only the protective SL/TP of positions still open remain
    const open = (await server.api<{ orders: { purpose: string }[] }>('GET', '/bot/orders?status=open')).body.orders;
    expect(open.filter((o) => o.purpose !== 'stop_loss' && o.purpose !== 'take_profit')).toEqual([]);

    // back to the settings of the first version, through the history panel
    await openTab('config');
    const history = (await server.api<{ versions: { version: number; config: VersionedConfig }[] }>('GET', '/bot/config/history?limit=100'))
      .body.versions;
    const oldest = history[history.length - 1];
    const before = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    await page.click(`${byTestId('config-history-row')}[data-version="${oldest.version}"] ${byTestId('config-restore')}`);
    await page.waitForSelector(byTestId('confirm-dialog'));
    await page.click(byTestId('confirm-ok'));
    await waitUntil(
      async () => (await server.api<VersionedConfig>('GET', '/bot/config')).body.version === before.version + 1,
      'the restored version',
    );
    const restored = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    expect(restored.take_profit_pct).toBe(oldest.config.take_profit_pct);
    expect(restored.strategy).toEqual(oldest.config.strategy);
    await page.waitForSelector(`${byTestId('config-history-row')}[data-version="${restored.version}"]`);
    await shot(page, 'config-restored');

    // leave the bot as the next test expects it: busy settings, entries paused
    expect((await server.api('PUT', '/bot/config', { ...BUSY_CONFIG, strategy: { name: 'ema_cross', params: {} } })).status).toBe(200);
    await server.api('POST', '/bot/pause', {});
    await waitForState('paused');
  });

  it('survives a server restart: reconnects without a reload and shows no duplicated rows', async () => {
    await page.click(byTestId('btn-resume'));
    await waitForState('running');
    await openTab('trades');
    await server.stop('SIGTERM');
    await page.waitForSelector(`${byTestId('connection')}[data-state="reconnecting"]`, { timeout: 15_000 });
    await shot(page, 'reconnecting');
    server = await startServer({ dataDir, port: server.port, replaySpeed: 40 });
    await page.waitForSelector(`${byTestId('connection')}[data-state="connected"]`, { timeout: 30_000 });
    if ((await status()).state !== 'running') await server.api('POST', '/bot/start', {});
    // let new events flow after the restart, then look for duplicates
    const total = (await server.api<{ total: number }>('GET', '/bot/trades?limit=1')).body.total;
    await waitUntil(
      async () => (await server.api<{ total: number }>('GET', '/bot/trades?limit=1')).body.total > total,
      'a trade after the restart',
      60_000,
    );
    // hold the bot still so the page and the API can be compared row by row
    await server.api('POST', '/bot/stop', {});
    await waitForState('stopped');
    // the page has caught up with the stopped bot: its newest row is the API's newest trade
    const newest = (await server.api<{ trades: Trade[] }>('GET', '/bot/trades?limit=1')).body.trades[0].id;
    await page.waitForSelector(`${byTestId('trade-row')}[data-trade-id="${newest}"]`, { state: 'attached', timeout: 15_000 });
    const tradeIds = await page.$$eval(byTestId('trade-row'), (rows) => rows.map((r) => r.getAttribute('data-trade-id')));
    expect(new Set(tradeIds).size).toBe(tradeIds.length);
    const apiPage = (await server.api<{ trades: Trade[] }>('GET', `/bot/trades?limit=${tradeIds.length}`)).body.trades.map((t) =>
      String(t.id),
    );
    expect(tradeIds.slice(0, 5)).toEqual(apiPage.slice(0, 5));
    const positionIds = await page.$$eval(byTestId('position-row'), (rows) => rows.map((r) => r.getAttribute('data-position-id')));
    expect(new Set(positionIds).size).toBe(positionIds.length);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await badgeState()).toBe((await status()).state);
  });

  it('tails the logs and stops following when scrolled up', async () => {
    await openTab('logs');
    await page.waitForSelector(byTestId('log-line'));
    await page.selectOption(byTestId('log-level'), 'debug');
    await shot(page, 'logs');
    await page.$eval(byTestId('log-box'), (el) => el.scrollTo({ top: 0 }));
    await page.waitForSelector(`${byTestId('log-box')}[data-following="false"]`);
    await page.waitForSelector(byTestId('log-jump'));
    await page.click(byTestId('log-jump'));
    await page.waitForSelector(`${byTestId('log-box')}[data-following="true"]`);
  });

  it('stacks the panels in a narrow window', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await openTab('trades');
    // the panels have reflowed to the window (the assertions below say what a failure looked like)
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 420, null, { timeout: 5_000 }).catch(() => undefined);
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      status: document.querySelector('[data-testid="status-card"]')?.getBoundingClientRect().width ?? 0,
      chart: document.querySelector('[data-testid="price-chart"]')?.getBoundingClientRect().width ?? 0,
    }));
    expect(widths.doc).toBeLessThanOrEqual(420);
    expect(widths.status).toBeGreaterThan(380);
    expect(widths.chart).toBeGreaterThan(380);
    await shot(page, 'narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
