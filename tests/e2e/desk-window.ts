// The desktop window's page in Chromium: the app composed as the desktop composes it (startDesk), and a frozen
// `window.botdesk` bridge whose calls go to the real IPC router, as the preload's do (answers cloned as Electron does).
import type { Browser, Page } from 'playwright-core';
import type { OperationName } from '../../src-shared/contract';
import type { DeskHarness } from '../helpers/desk-harness';
import { launchChromium } from './browser';

export async function openDeskWindow(desk: DeskHarness): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.exposeFunction('__ipcCall', (name: OperationName, input: unknown) => desk.window(name, input));
  await page.addInitScript(() => {
    const w = window as unknown as { botdesk: unknown; __ipcCall: (n: string, i: unknown) => Promise<unknown> };
    w.botdesk = Object.freeze({ kind: 'ipc', call: (n: string, i: unknown) => w.__ipcCall(n, i), subscribe: () => () => undefined });
  });
  await page.goto(`${desk.url}/`);
  await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15_000 });
  return { browser, page };
}
