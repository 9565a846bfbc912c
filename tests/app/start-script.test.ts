// `npm start` where Electron cannot run (no display here): one line saying why, then the headless app.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

describe('npm start fallback', () => {
  it('says why Electron cannot start, then serves the API and the dashboard link, and stops cleanly on SIGINT', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, BOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'botdesk-start-')), BOT_API_PORT: '0' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const deadline = Date.now() + 60_000;
    while (!/#login=/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/^BotDesk API listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/#login=/);
    const reasons = err.split('\n').filter((l) => l.startsWith('BotDesk: Electron cannot start here'));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/display/);
    const url = /listening on (\S+)/.exec(out)![1];
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 90_000);
});
