// `node /path/to/botdesk/scripts/serve.mjs` started from another working directory (a service file without one, a
// shell elsewhere): the built server still finds its bundled replay, which it looks for beside the build.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, headlessArgs } from '../../scripts/headless-entry.mjs';

const root = resolve(import.meta.dirname, '../..');

beforeAll(() => {
  // npm test builds first; a run of this file alone builds when the sources are newer than out/
  if (headlessArgs(root)[0] !== join(root, 'out', 'main', 'headless.js')) build(root, 'this test runs the built server');
}, 180_000);

describe('the built server started from another directory', () => {
  it('trades the bundled replay', async () => {
    expect(headlessArgs(root)).toEqual([join(root, 'out', 'main', 'headless.js')]);
    const elsewhere = mkdtempSync(join(tmpdir(), 'botdesk-cwd-'));
    const env: NodeJS.ProcessEnv = { ...process.env, BOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'botdesk-serve-')), BOT_API_PORT: '0' };
    delete env.BOT_MARKET;
    const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs')], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    try {
      const deadline = Date.now() + 60_000;
      while (!/listening on/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain(`replay of ${join(root, 'resources', 'sample-XRP_USDT-5m.json')}`);
      expect(out).toMatch(/BotDesk API listening on http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      const exited = new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', r)));
      child.kill('SIGINT');
      await exited;
    }
  }, 90_000);
});
