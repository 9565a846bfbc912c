// Browser end-to-end: the strategy lab (docs/contract.md §11) against the real headless server, in Chromium. A market
// is downloaded from the exchange emulator and a candle file is imported as a set; a backtest with one key changed runs and is compared with the bot's current config on the
// same candles; a small sweep runs, is sorted by its out-of-sample figures, survives a reload, and one of its runs is
// applied through the config editor's diff and save, after which the config history names the run; a long sweep is
// cancelled from the jobs list.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResultData, ConfigVersion, HistorySet, Job, SweepResult, VersionedConfig } from '../../src-shared/contract';
import { startLabEmulator } from '../lab/lab-helpers';
import type { BinanceEmulator } from '../exchange-emulator/server';
import { ensureRendererBuilt } from './build-renderer';
import { openDashboard, type DashboardSession } from './dashboard-session';
import { startServer, type RunningServer } from './server-process';

const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const fixture = resolve(import.meta.dirname, '../fixtures/candles/XRP_USDT-5m.json');
const byTestId = (id: string) => `[data-testid="${id}"]`;
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `lab-${name}.png`), fullPage: true });

describe('strategy lab in the browser', () => {
  let server: RunningServer;
  let emulator: BinanceEmulator;
  let session: DashboardSession;
  let page: Page;
  /** what the page threw: a view that breaks as it is left (a chart disposed twice) fails the suite */
  const pageErrors: string[] = [];
  const job = async (id: number) => (await server.api<Job>('GET', `/jobs/${id}`)).body;
  const waitJobDone = (id: number) =>
    page.waitForSelector(`${byTestId('lab-job')}[data-id="${id}"][data-state="done"]`, { timeout: 30_000 });

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await ensureRendererBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-lab-e2e-'));
    // a slow replay: the bot's loop stays quiet beside the lab's workers
    // downloads go to the binance emulator, which serves recorded candles (ALT/BTC 1m with its gaps) as binance pages them
    emulator = await startLabEmulator();
    server = await startServer({ dataDir, replaySpeed: 2, env: { BOT_EXCHANGE_API_URL: emulator.url } });
    const candles = JSON.parse(readFileSync(fixture, 'utf8')) as number[][];
    const imported = await server.api('POST', '/history/imports', { symbol: 'XRP/USDT', timeframe: '5m', candles });
    expect(imported.status).toBe(200);
    session = await openDashboard(server, { dataDir, width: 1440, height: 1000 });
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await emulator?.close();
  });

  it("downloads a market from the exchange: the bar follows the job, and the set shows up with the exchange's gaps", async () => {
    await page.click(byTestId('open-lab'));
    await page.fill(byTestId('download-symbol'), 'ALT/BTC');
    await page.selectOption(byTestId('download-timeframe'), '1m');
    await page.fill(byTestId('download-from'), '2017-11-04T23:00');
    await page.fill(byTestId('download-to'), '2017-11-06T23:00'); // two days: three pages, many gaps
    await page.click(byTestId('download-start'));
    await page.waitForSelector(`${byTestId('download-progress')}[data-state="done"][data-progress="1"]`, { timeout: 30_000 });
    const set = await page.waitForSelector(`${byTestId('lab-set')}[data-set="ALT/BTC 1m"]`);
    const kept = (await server.api<{ sets: HistorySet[] }>('GET', '/history')).body.sets.find((s) => s.symbol === 'ALT/BTC');
    expect(kept?.gaps.length).toBeGreaterThan(0);
    expect(Number(await (await set.$(byTestId('lab-set-gaps')))?.getAttribute('data-gaps'))).toBe(kept?.gaps.length);
    expect(await set.textContent()).toContain(kept?.candles.toLocaleString('en-US'));
    await shot(page, 'download');
  });

  it('shows the kept set; a backtest with one key changed runs beside the current config on the same candles', async () => {
    const set = await page.waitForSelector(`${byTestId('lab-set')}[data-set="XRP/USDT 5m"]`);
    expect(await set.textContent()).toMatch(/1,\d{3}/);
    expect(await page.inputValue(byTestId('backtest-set'))).toBe('XRP/USDT 5m');

    await page.click(`${byTestId('backtest-overrides')} summary`);
    await page.fill(`${byTestId('backtest-overrides')} ${byTestId('config-field-stop_loss_pct')}`, '0.5');
    await page.fill(`${byTestId('backtest-overrides')} ${byTestId('config-field-take_profit_pct')}`, '0.8');
    await page.click(byTestId('backtest-start'));
    await page.waitForSelector(`${byTestId('run-compare')}`, { timeout: 30_000 });
    const runId = Number(await page.getAttribute(byTestId('run-compare'), 'data-job'));
    const run = await job(runId);
    expect(run.request).toMatchObject({ symbol: 'XRP/USDT', timeframe: '5m', config: { stop_loss_pct: 0.5, take_profit_pct: 0.8 } });
    const stats = (run.result as BacktestResultData).stats;
    expect(stats.trades_count).toBeGreaterThan(0);
    // the figures shown are the job's own
    const trades = page.locator(`${byTestId('compare-row')}[data-label="Trades"] ${byTestId('compare-run-value')}`);
    expect(await trades.textContent()).toBe(String(stats.trades_count));

    // no backtest of the current config on these candles yet: one click runs it, and it takes its place beside the run
    await page.click(byTestId('compare-run-baseline'));
    await page.waitForSelector(`${byTestId('run-compare')}:not([data-baseline=""])`, { timeout: 30_000 });
    const baselineId = Number(await page.getAttribute(byTestId('run-compare'), 'data-baseline'));
    const baseline = await job(baselineId);
    expect(baseline.request).not.toHaveProperty('config');
    const baselineTrades = page.locator(`${byTestId('compare-row')}[data-label="Trades"] ${byTestId('compare-baseline-value')}`);
    expect(await baselineTrades.textContent()).toBe(String((baseline.result as BacktestResultData).stats.trades_count));
    await page.waitForSelector(`${byTestId('compare-equity')}:not([data-baseline-points="0"])`);
    // the run's trades are marked on its candles
    const price = await page.waitForSelector(`${byTestId('compare-price')}:not([data-candles="0"])`);
    expect(Number(await price.getAttribute('data-markers'))).toBeGreaterThan(0);
    await shot(page, 'compare');
  });

  it('a sweep of two keys survives a reload while it runs; in-sample and out-of-sample side by side, sortable, a heat map', async () => {
    await page.click(byTestId('tab-sweep'));
    await page.fill(byTestId('sweep-list-0'), '0.5, 2.5');
    await page.click(byTestId('sweep-add-key'));
    await page.selectOption(byTestId('sweep-key-1'), 'take_profit_pct');
    await page.fill(byTestId('sweep-list-1'), '0.8, 4');
    expect(await page.textContent(byTestId('sweep-run-count'))).toBe('4 runs');
    await page.click(byTestId('sweep-start'));
    // reloaded while it runs: the view comes back on the Lab, re-reads the jobs and shows the results when it is done
    await page.waitForSelector(`${byTestId('lab-job')}[data-kind="sweep"]`);
    await page.reload();
    await page.waitForSelector(`${byTestId('sweep-results')}[data-runs="4"]`, { timeout: 30_000 });
    const sweepId = Number(await page.getAttribute(`${byTestId('lab-job')}.is-open`, 'data-id'));
    await waitJobDone(sweepId);
    const result = (await job(sweepId)).result as SweepResult;
    expect(result.out_of_sample).not.toBeNull();
    expect(await page.locator(byTestId('heat-cell')).count()).toBe(8); // 2 × 2, in and out of sample

    const column = async (sample: string, metric: string) =>
      page.$$eval(`${byTestId('sweep-run')} ${byTestId(`cell-${sample}-${metric}`)}`, (cells) =>
        cells.map((c) => Number(c.getAttribute('data-value'))),
      );
    // the server's order: best in-sample profit first
    expect(await column('in_sample', 'profit')).toEqual([...(await column('in_sample', 'profit'))].sort((a, b) => b - a));
    await page.click(byTestId('sort-out_of_sample-profit'));
    const oos = await column('out_of_sample', 'profit');
    expect(oos).toEqual([...oos].sort((a, b) => b - a));
    await page.click(byTestId('sort-out_of_sample-profit'));
    expect(await column('out_of_sample', 'profit')).toEqual([...oos].reverse());
    await page.click(byTestId('sort-in_sample-drawdown'));
    const dd = await column('in_sample', 'drawdown');
    expect(dd).toEqual([...dd].sort((a, b) => a - b));
    await shot(page, 'sweep');
  });

  it('applies a sweep run through the config editor: diff, save, and the history names the run', async () => {
    const first = page.locator(byTestId('sweep-run')).first();
    const rank = Number(await first.getAttribute('data-rank'));
    const params = JSON.parse((await first.getAttribute('data-params')) as string) as Record<string, number>;
    const sweepId = Number(await page.getAttribute(`${byTestId('lab-job')}.is-open`, 'data-id'));
    const before = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    await first.locator(byTestId('sweep-run-apply')).click();

    await page.waitForSelector(byTestId('config-diff'));
    expect(await page.textContent(byTestId('config-proposal'))).toContain(`lab sweep job ${sweepId}, run ${rank}`);
    const diffRows = await page.$$eval(byTestId('config-diff-row'), (rows) => rows.map((r) => r.textContent));
    // both keys differ from the bot's (1.5 and 3) in every run of this sweep
    expect(diffRows).toHaveLength(2);
    expect(before).toMatchObject({ stop_loss_pct: 1.5, take_profit_pct: 3 });
    await shot(page, 'apply-diff');
    await page.click(byTestId('config-save'));
    await page.waitForSelector(byTestId('config-saved'));

    const after = (await server.api<VersionedConfig>('GET', '/bot/config')).body;
    expect(after).toMatchObject(params);
    const history = (await server.api<{ versions: ConfigVersion[] }>('GET', '/bot/config/history?limit=1')).body.versions[0];
    expect(history).toMatchObject({ version: after.version, reason: expect.stringContaining(`lab sweep job ${sweepId}, run ${rank}`) });
    const row = page.locator(`${byTestId('config-history-row')}[data-version="${after.version}"]`);
    expect(await row.textContent()).toContain(`lab sweep job ${sweepId}, run ${rank}`);
    await shot(page, 'applied');
  });

  it('a long sweep is cancelled from the jobs list: its bar stops and it says so', async () => {
    await page.click(byTestId('open-lab'));
    await page.click(byTestId('tab-sweep'));
    const range = async (i: number, key: string, from: string, to: string, step: string) => {
      await page.selectOption(byTestId(`sweep-key-${i}`), key);
      await page.selectOption(byTestId(`sweep-mode-${i}`), 'range');
      await page.fill(byTestId(`sweep-from-${i}`), from);
      await page.fill(byTestId(`sweep-to-${i}`), to);
      await page.fill(byTestId(`sweep-step-${i}`), step);
    };
    await range(0, 'stop_loss_pct', '0.5', '5', '0.5');
    await page.click(byTestId('sweep-add-key'));
    await range(1, 'take_profit_pct', '1', '10', '1');
    await page.click(byTestId('sweep-add-key'));
    await range(2, 'strategy.params.rsi_period', '2', '41', '1');
    expect(await page.textContent(byTestId('sweep-run-count'))).toBe('4,000 runs');
    await page.click(byTestId('sweep-start'));
    const row = `${byTestId('lab-job')}[data-kind="sweep"].is-open`;
    await page.waitForSelector(`${row} ${byTestId('lab-job-cancel')}`);
    const id = Number(await page.getAttribute(row, 'data-id'));
    await page.click(`${row} ${byTestId('lab-job-cancel')}`);
    await page.waitForSelector(`${byTestId('lab-job')}[data-id="${id}"][data-state="cancelled"]`, { timeout: 30_000 });
    expect((await job(id)).state).toBe('cancelled');
    expect(await page.$(`${byTestId('lab-job')}[data-id="${id}"] ${byTestId('lab-job-cancel')}`)).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
