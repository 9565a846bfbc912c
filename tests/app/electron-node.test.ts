// What runs in Electron's main process, run under the Node Electron 45 embeds (24): the built main bundle keeps its
// database on node:sqlite. better-sqlite3 here is compiled for Node 20's ABI and cannot load under Node 24, so a bot
// that trades and restarts there proves the store never needed it. The same data directory then opens under Node 20
// (better-sqlite3): the two drivers share one file format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { electronNodeBinary } from '../../scripts/electron-node.mjs';
import { startServer } from '../e2e/server-process';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import type { Status } from '../../src-shared/contract';
import { waitFor } from '../helpers/wait';

const root = resolve(import.meta.dirname, '../..');
const node24 = electronNodeBinary();
// inside the project, so the bundle resolves its external packages from node_modules; out/ is left to the other tests
const outDir = join(root, 'test-artifacts', 'electron-node-build');
const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-node24-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the main bundle under the Node inside Electron', () => {
  beforeAll(() => {
    if (!node24.binary) return;
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'warn'],
      { cwd: root, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stderr || r.stdout}`);
  }, 120_000);

  it.skipIf(!node24.binary)(
    `trades on node:sqlite, restarts, and leaves a database Node 20 reads${node24.skipped ? ` (skipped: ${node24.skipped})` : ''}`,
    async () => {
      const command = { node: node24.binary!, args: [join(outDir, 'main', 'headless.js')] };
      const first = await startServer({ dataDir, command, replaySpeed: 'max' });
      let before: Status;
      try {
        expect((await first.api('GET', '/health')).status).toBe(200);
        await waitFor(async () => ((await first.api<Status>('GET', '/bot/status')).body.equity_ts ?? 0) > 0, 'an equity point written');
        await first.api('POST', '/bot/stop');
        before = (await first.api<Status>('GET', '/bot/status')).body;
      } finally {
        await first.stop('SIGINT');
      }
      expect(first.process.exitCode).toBe(0);
      expect(first.output()).not.toMatch(/better-sqlite3|NODE_MODULE_VERSION/);

      // a restart under Node 24 finds the same state
      const second = await startServer({ dataDir, command, replaySpeed: 'max' });
      try {
        const after = (await second.api<Status>('GET', '/bot/status')).body;
        expect(after.state).toBe('stopped');
        const equity = (await second.api<{ points: { ts: number }[] }>('GET', '/bot/equity?limit=10')).body;
        expect(equity.points.at(-1)?.ts).toBe(before.equity_ts);
      } finally {
        await second.stop('SIGINT');
      }

      // and this Node's driver reads what node:sqlite wrote
      const store = new SqliteStore(dataDir);
      try {
        expect(store.db.driver).toBe(process.versions.node.startsWith('20.') ? 'better-sqlite3' : 'node:sqlite');
        expect(store.db.pragma('integrity_check')).toBe('ok');
        expect(store.queryEquity({ limit: 1_000_000 }).points.at(-1)?.ts).toBe(before.equity_ts);
        expect(store.latestConfigVersion()?.version).toBeGreaterThan(0);
      } finally {
        store.close();
      }
    },
    90_000,
  );
});
