// Trade history over 10,000 stored trades: server pages through the cursor, the DOM never holds more than one page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { ensureRendererBuilt } from './build-renderer';
import { seedTrades, seededExitTime } from './seed-trades';
import { startServer, type RunningServer } from './server-process';

const TRADES = 10_000;
const byTestId = (id: string) => `[data-testid="${id}"]`;
const rowIds = (page: Page) => page.$$eval(byTestId('trade-row'), (rows) => rows.map((r) => Number(r.getAttribute('data-trade-id'))));
/** datetime-local input value in the browser's (= this process's) time zone */
const localInput = (ms: number) => {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
};

describe('trade history with 10,000 trades', () => {
  let dataDir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-e2e-paging-'));
    seedTrades(dataDir, TRADES);
    server = await startServer({ dataDir, replaySpeed: 1, env: { MOCK_SEED_TRADES: String(TRADES) } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.loginUrl as string);
    await page.waitForSelector(`${byTestId('connection')}[data-state="connected"]`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows one page at a time with the totals from the server, and pages both ways', async () => {
    await page.waitForSelector(`${byTestId('trades-total')}:text-is("${TRADES}")`);
    const first = await rowIds(page);
    expect(first.length).toBe(50);
    expect(first[0]).toBe(TRADES);
    await page.click(byTestId('trades-next'));
    await page.waitForSelector(`${byTestId('trades-page')}:text-matches("^page 2 of")`);
    const second = await rowIds(page);
    expect(second[0]).toBe(first[first.length - 1] - 1);
    expect(second.length).toBe(50);
    await page.click(byTestId('trades-prev'));
    await page.waitForSelector(`${byTestId('trades-page')}:text-matches("^page 1 of")`);
    expect(await rowIds(page)).toEqual(first);
    await page.screenshot({ path: resolve(import.meta.dirname, '../../test-artifacts/dashboard-trades-10k.png') });
  });

  it('filters by exit time and the totals follow', async () => {
    // trades 101..200 exit in this window (one every 10 minutes)
    await page.fill(byTestId('trades-from'), localInput(seededExitTime(101) - 60_000));
    await page.fill(byTestId('trades-to'), localInput(seededExitTime(200) + 60_000));
    await page.click(byTestId('trades-apply'));
    await page.waitForSelector(`${byTestId('trades-total')}:text-is("100")`);
    const ids = await rowIds(page);
    expect(ids[0]).toBe(200);
    expect(ids).toHaveLength(50);
  });
});
