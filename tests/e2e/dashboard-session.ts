// One Chromium window logged in to a running server's dashboard through its one-time link: the setup every browser
// test starts from.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { RunningServer } from './server-process';

export interface DashboardSession {
  browser: Browser;
  page: Page;
  /** the browser, then the server, then its data directory */
  close(): Promise<void>;
}

/** `watch` sees the page before it loads (console and request listeners catch the very first messages) */
export async function openDashboard(
  server: RunningServer,
  o: { dataDir?: string; width?: number; height?: number; watch?: (page: Page) => void } = {},
): Promise<DashboardSession> {
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: o.width ?? 1280, height: o.height ?? 900 } })).newPage();
  o.watch?.(page);
  await page.goto(server.loginUrl as string);
  await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });
  return {
    browser,
    page,
    async close() {
      await browser.close();
      await server.stop();
      if (o.dataDir) rmSync(o.dataDir, { recursive: true, force: true });
    },
  };
}
