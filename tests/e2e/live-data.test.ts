// Browser end-to-end: a real `npm run serve` on live market data (the binance emulator through the real ccxt). The
// dashboard says unmistakably how it trades, charts the exchange's candles and shows the paper account.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle } from '../../src-shared/contract';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { ensureRendererBuilt } from './build-renderer';
import { openDashboard, type DashboardSession } from './dashboard-session';
import { startServer, type RunningServer } from './server-process';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const byTestId = (id: string) => `[data-testid="${id}"]`;

describe('dashboard on live market data', () => {
  let emu: BinanceEmulator;
  let dataDir: string;
  let server: RunningServer;
  let session: DashboardSession;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await ensureRendererBuilt();
    emu = await startBinanceEmulator({});
    // a price history with some shape, so the chart shows the exchange's candles rather than a flat line
    const now = Date.now();
    emu.setPricePath(
      'XRP/USDT',
      Array.from({ length: 400 }, (_, i) => [now - (400 - i) * 300_000, Number((0.5 + 0.05 * Math.sin(i / 15)).toFixed(4))] as const),
    );
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-e2e-live-'));
    server = await startServer({ dataDir, env: { BOT_MARKET: 'live', BOT_EXCHANGE_API_URL: emu.url } });
    session = await openDashboard(server, { dataDir, height: 800 });
    page = session.page;
  }, 120_000);

  afterAll(async () => {
    await (session ? session.close() : server?.stop());
    await emu?.close();
  });

  it("says paper on live data in the header and the status badge, and charts the exchange's candles", async () => {
    expect(await page.textContent(byTestId('topbar-mode'))).toBe('PAPER · LIVE DATA');
    expect(await page.getAttribute(byTestId('mode-badge'), 'data-mode')).toBe('paper-live-data');
    expect(await page.textContent(byTestId('status-market'))).toMatch(/XRP\/USDT.*5m · binance · live/);
    const { candles } = (await server.api<{ candles: Candle[] }>('GET', '/bot/candles?limit=300')).body;
    expect(candles.length).toBe(300);
    expect(new Set(candles.map((c) => c.close)).size).toBeGreaterThan(20);
    const [xrp, usdt] = await page.$$eval(byTestId('balance-row'), (rows) =>
      rows.map((r) => [r.getAttribute('data-asset'), Number(r.getAttribute('data-total'))]),
    );
    expect([xrp, usdt]).toEqual([
      ['XRP', 0],
      ['USDT', 10_000],
    ]);
    await page.screenshot({ path: join(artifacts, 'dashboard-live-data.png') });
  });
});
