// The desktop app end to end, driven by Playwright's Electron support: the window opens, the dashboard shows the bot
// through the preload bridge (IPC), Start/Stop clicked in the window reach the tray, closing the window leaves the bot
// running in the tray (hint said once), and Quit flushes the database. Needs the Electron binary
// and a display (or Xvfb to make one); where any is missing it says so once and skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { Status } from '../../src-shared/contract';
import type { DesktopShellProbe } from '../../src-main/shell/desktop-shell';
import type { TrayView } from '../../src-main/desktop/tray-model';
import { displayProblem, electronBinary } from '../../scripts/electron-check.mjs';
import { build, desktopIsFresh } from '../../scripts/headless-entry.mjs';
import { waitFor } from '../helpers/wait';

const root = resolve(import.meta.dirname, '../..');
const TOKEN = 'e2e-control-token-0123456789abcdef';
const byTestId = (id: string) => `[data-testid="${id}"]`;

const onPath = (name: string): string | null =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, name))
    .find((p) => existsSync(p)) ?? null;

const binary = electronBinary(root);
const needsDisplay = displayProblem() !== null;
const xvfb = needsDisplay ? onPath('Xvfb') : null;

function whySkip(): string | null {
  const missing: string[] = [];
  if (!binary) missing.push('the Electron binary is not installed (node_modules/electron/dist missing)');
  if (needsDisplay && !xvfb) missing.push('there is no display (DISPLAY and WAYLAND_DISPLAY unset) and no Xvfb to make one');
  return missing.length ? missing.join(' and ') : null;
}
const skipped = whySkip();
if (skipped) console.warn(`Electron e2e skipped: ${skipped}.`);

/** a private X display for the run: Xvfb picks a free number and writes it to the pipe */
async function startXvfb(path: string): Promise<{ display: string; proc: ChildProcess }> {
  const proc = spawn(path, ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const display = await new Promise<string>((ok, fail) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) ok(`:${out.trim()}`);
    });
    proc.once('exit', (code) => fail(new Error(`Xvfb exited with ${code}`)));
  });
  return { display, proc };
}

/** read the database with Electron's own Node (node:sqlite), whatever ABI better-sqlite3 was built for */
function readDatabase(dataDir: string): { last: { ts: number; equity: number }; state: string } {
  const script = `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.argv[1], { readOnly: true });
    const last = db.prepare('SELECT ts, equity FROM equity_points ORDER BY ts DESC LIMIT 1').get();
    const state = db.prepare("SELECT value FROM meta WHERE key = 'bot_state'").get().value;
    process.stdout.write(JSON.stringify({ last: { ts: last.ts, equity: last.equity }, state }));`;
  const r = spawnSync(binary as string, ['-e', script, join(dataDir, 'botdesk.sqlite')], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`reading the database failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.skipIf(skipped !== null)('desktop app (Electron)', () => {
  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;
  let xvfbProc: ChildProcess | undefined;
  let apiUrl = '';
  let output = '';

  const api = async <T>(method: string, path: string): Promise<T> => {
    const r = await fetch(`${apiUrl}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const tray = () =>
    app.evaluate(() => (globalThis as { botdeskProbe?: DesktopShellProbe }).botdeskProbe?.tray() ?? null) as Promise<TrayView | null>;
  const trayShows = (icon: TrayView['icon']) =>
    waitFor(async () => ((await tray())?.icon === icon ? tray() : null), `the tray to show ${icon}`, 15_000, 100);

  beforeAll(async () => {
    if (!desktopIsFresh(root) && !build(root, 'the Electron e2e test needs the current app')) throw new Error('the app could not be built');
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-electron-'));
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      BOT_DATA_DIR: dataDir,
      BOT_API_PORT: '0',
      BOT_API_TOKEN: TOKEN,
      BOT_MARKET: 'synthetic',
      BOT_REPLAY_SPEED: '20',
      BOTDESK_E2E: '1',
    };
    if (xvfb) {
      const x = await startXvfb(xvfb);
      xvfbProc = x.proc;
      env.DISPLAY = x.display;
    }
    app = await _electron.launch({ executablePath: binary as string, args: [root], env, timeout: 60_000 });
    app.process().stdout?.on('data', (d: Buffer) => (output += d.toString()));
    app.process().stderr?.on('data', (d: Buffer) => (output += d.toString()));
    apiUrl = await waitFor(() => /BotDesk API listening on (http:\/\/\S+)/.exec(output)?.[1], 'the ready line', 30_000, 100);
    page = await app.firstWindow();
  }, 120_000);

  afterAll(async () => {
    if (app && app.process().exitCode === null) await app.close().catch(() => undefined);
    xvfbProc?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the window, whose dashboard shows the bot through the preload bridge, not HTTP', async () => {
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="running"]`, { timeout: 30_000 });
    const where = await page.evaluate(() => ({
      protocol: location.protocol,
      bridge: typeof (window as { botdesk?: unknown }).botdesk,
      node: typeof (window as { require?: unknown }).require,
    }));
    expect(where).toEqual({ protocol: 'file:', bridge: 'object', node: 'undefined' });
    const status = await api<Status>('GET', '/bot/status');
    expect(await page.textContent(byTestId('status-market'))).toContain(status.symbol);
  });

  it('Stop and Start clicked in the window reach the bot and the tray', async () => {
    await page.click(byTestId('btn-stop'));
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="stopped"]`);
    const stopped = await trayShows('stopped');
    expect(stopped?.tooltip).toMatch(/^BotDesk · PAPER · \S+ · stopped · today [+-]?\d/);
    expect(stopped?.menu.find((i) => i.kind === 'action' && i.id === 'start')).toMatchObject({ enabled: true });
    expect((await api<Status>('GET', '/bot/status')).state).toBe('stopped');

    await page.click(byTestId('btn-start'));
    await page.waitForSelector(`${byTestId('state-badge')}[data-state="running"]`);
    const running = await trayShows('running');
    expect(running?.menu.find((i) => i.kind === 'action' && i.id === 'stop')).toMatchObject({ enabled: true });
  });

  it('closing the window leaves the bot running in the tray, and says so once', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await waitFor(
      async () => (await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)) === 0,
      'the window to close',
    );
    expect(existsSync(join(dataDir, 'tray-hint-shown'))).toBe(true);
    expect(app.process().exitCode).toBeNull();
    const before = (await api<Status>('GET', '/bot/status')).last_cycle_at;
    await waitFor(async () => (await api<Status>('GET', '/bot/status')).last_cycle_at !== before, 'the bot to go on trading', 10_000, 100);
  });

  it('Quit stops the loop, closes the API and flushes the database, then exits 0', async () => {
    // stopped, the figures hold still, so what the database must hold after Quit is known
    await api('POST', '/bot/stop');
    const status = await api<Status>('GET', '/bot/status');
    const exited = new Promise<number | null>((ok) => app.process().once('exit', (code) => ok(code)));
    // what the tray's Quit does; the answer may be cut off by the exit itself, which is what is awaited next
    await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
    expect(await exited).toBe(0);
    await expect(fetch(`${apiUrl}/api/v1/health`)).rejects.toThrow();
    expect(existsSync(join(dataDir, 'botdesk.sqlite-wal'))).toBe(false); // closed cleanly: the WAL was checkpointed
    expect(readDatabase(dataDir)).toEqual({ last: { ts: status.equity_ts, equity: status.equity }, state: 'stopped' });
  });
});
