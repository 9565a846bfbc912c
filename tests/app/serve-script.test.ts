// `npm run serve` on a checkout that was never built (a fresh clone): it builds the dashboard, says so in one line, and
// serves the page at / with the ready line as the last line of start-up.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childrenOf } from '../helpers/process-tree';
import { startServe } from '../helpers/serve-process';

const root = resolve(import.meta.dirname, '../..');
/** what a clone holds that serve needs: sources, scripts, resources, configs (node_modules linked, out/ absent) */
const CLONE = [
  'package.json',
  'electron.vite.config.ts',
  'tsconfig.json',
  'scripts',
  'resources',
  'src-main',
  'src-shared',
  'src-preload',
  'src-renderer',
];

function freshCheckout(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'botdesk-clone-')), 'botdesk');
  for (const entry of CLONE) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('npm run serve on a fresh checkout', () => {
  it('builds the missing dashboard (one line), then serves it at / with the ready line last', async () => {
    const dir = freshCheckout();
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const serve = startServe(dir, dir);
    const child = serve.child;
    try {
      await serve.ready(90_000);
      await new Promise((r) => setTimeout(r, 300)); // anything printed after the ready line would show up by now

      const [out, err] = [serve.out(), serve.err()];
      expect(err.split('\n').filter((l) => l.startsWith('BotDesk: building'))).toHaveLength(1);
      const lines = out.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^BotDesk API listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.filter((l) => l.startsWith('BotDesk API listening on'))).toHaveLength(1);
      expect(out).toMatch(/one-time login link.*#login=/);

      const url = /listening on (\S+)/.exec(out)![1];
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toMatch(/<div id="root">/);
      expect(existsSync(join(dir, 'out', 'renderer', 'index.html'))).toBe(true);
      // one process: the bot runs in serve's own, with no second Node beside it (issue 21)
      expect(childrenOf(child.pid!).map((p) => p.comm)).toEqual([]);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, 120_000);
});
