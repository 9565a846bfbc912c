// Browser end-to-end: a person opens a position from the dashboard after a confirmation that states size, price and
// SL/TP; the position, its protection and the balances panel follow, and agree with the API.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetBalance, Order, Position, Status } from '../../src-shared/contract';
import { ensureRendererBuilt } from './build-renderer';
import { openDashboard, type DashboardSession } from './dashboard-session';
import { startServer, type RunningServer } from './server-process';
import { HELD_POSITIONS } from '../helpers/held-positions';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const byTestId = (id: string) => `[data-testid="${id}"]`;
/** the strategy makes no entries and nothing closes by itself: every position here is the person's */
const HANDS_ONLY = {
  enabled: false,
  ...HELD_POSITIONS,
  stop_loss_pct: 40,
  take_profit_pct: 900,
  position_size_pct: 10,
  max_positions: 3,
  max_daily_loss_pct: 0,
};

describe('open a position from the dashboard', () => {
  let dataDir: string;
  let server: RunningServer;
  let session: DashboardSession;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-open-'));
    server = await startServer({ dataDir, replaySpeed: 5 });
    expect((await server.api('PUT', '/bot/config', HANDS_ONLY)).status).toBe(200);
    session = await openDashboard(server, { dataDir });
    page = session.page;
  }, 120_000);

  afterAll(async () => {
    await (session ? session.close() : server?.stop());
  });

  it('states size, price, stop-loss and take-profit, then opens the position with its protection', async () => {
    await page.click(byTestId('btn-open-position'));
    await page.waitForSelector(byTestId('confirm-dialog'));
    const summary = (await page.textContent(byTestId('open-summary'))) ?? '';
    expect(summary).toMatch(
      /Buy about [\d,.]+ XRP \([\d,.]+ USDT\) at market, now [\d.]+ USDT\. Stop-loss at [\d.]+ \(−40%\) and take-profit at [\d.]+ \(\+900%\)/,
    );
    expect(await page.textContent(byTestId('confirm-dialog'))).toMatch(/paused or enabled: false/);

    await page.fill(byTestId('open-size'), '0');
    expect(await page.isDisabled(byTestId('confirm-ok'))).toBe(true);
    await page.fill(byTestId('open-size'), '4');
    await page.screenshot({ path: join(artifacts, 'open-position-confirm.png') });
    await page.click(byTestId('confirm-ok'));
    await page.waitForSelector(byTestId('confirm-dialog'), { state: 'detached' });
    const row = await page.waitForSelector(byTestId('position-row'), { timeout: 10_000 });
    const id = Number(await row.getAttribute('data-position-id'));

    const positions = (await server.api<Position[]>('GET', '/bot/positions')).body;
    expect(positions.map((p) => p.id)).toEqual([id]);
    const p = positions[0];
    const equity = (await server.api<Status>('GET', '/bot/status')).body.equity;
    expect(p.amount * p.entry_price).toBeGreaterThan(equity * 0.035);
    expect(p.amount * p.entry_price).toBeLessThan(equity * 0.045);
    const orders = (await server.api<{ orders: Order[] }>('GET', '/bot/orders?status=open')).body.orders;
    expect(
      orders
        .filter((o) => o.position_id === id)
        .map((o) => o.purpose)
        .sort(),
    ).toEqual(['stop_loss', 'take_profit']);

    // the balances panel shows the account the position came out of, as the API does
    const balances = (await server.api<{ balances: AssetBalance[] }>('GET', '/bot/balances')).body.balances;
    await page.waitForFunction(
      (amount) => Number(document.querySelector('[data-testid="balance-row"][data-asset="XRP"]')?.getAttribute('data-total')) === amount,
      p.amount,
    );
    const shown = await page.$$eval(byTestId('balance-row'), (rows) =>
      rows.map((r) => ({
        asset: r.getAttribute('data-asset'),
        total: Number(r.getAttribute('data-total')),
        used: Number(r.getAttribute('data-used')),
      })),
    );
    expect(shown).toEqual(balances.map((b) => ({ asset: b.asset, total: b.total, used: b.used })));
    await page.screenshot({ path: join(artifacts, 'open-position-done.png') });
  });

  it('cannot open while the bot is stopped (the button says why)', async () => {
    expect((await server.api('POST', '/bot/stop')).status).toBe(200);
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="stopped"]`);
    expect(await page.isDisabled(byTestId('btn-open-position'))).toBe(true);
    expect(await page.getAttribute(byTestId('btn-open-position'), 'title')).toMatch(/Start the bot first/);
  });
});
