// `node /path/to/botdesk/scripts/serve.mjs` started from another working directory (a service file without one, a
// shell elsewhere): the built server still finds its bundled replay, which it looks for beside the build.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, headlessArgs } from '../../scripts/headless-entry.mjs';
import { startServe } from '../helpers/serve-process';

const root = resolve(import.meta.dirname, '../..');

beforeAll(() => {
  // npm test builds first; a run of this file alone builds when the sources are newer than out/
  if (headlessArgs(root)[0] !== join(root, 'out', 'main', 'headless.js')) build(root, 'this test runs the built server');
}, 180_000);

describe('the built server started from another directory', () => {
  it('trades the bundled replay', async () => {
    expect(headlessArgs(root)).toEqual([join(root, 'out', 'main', 'headless.js')]);
    const env = { ...process.env };
    delete env.BOT_MARKET;
    const serve = startServe(root, mkdtempSync(join(tmpdir(), 'botdesk-cwd-')), env);
    try {
      await serve.ready(60_000);
      const out = serve.out() + serve.err();
      expect(out).toContain(`replay of ${join(root, 'resources', 'sample-XRP_USDT-5m.json')}`);
      expect(out).toMatch(/BotDesk API listening on http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await serve.stop();
    }
  }, 90_000);
});
