// Runtime lifecycle across processes and restarts: one bot per data directory, and what a restart keeps.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime } from '../../src-main/app/runtime';
import { LOCK_OWNER_FILE } from '../../src-main/app/lock-owner';

const open = (dataDir: string) => createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 1 }, replaySpeed: 1 });

describe('one bot per data directory', () => {
  it('refuses a second runtime on the same data while the first lives, and allows it after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    const first = await open(dir);
    await expect(open(dir)).rejects.toThrow(/already running/);
    await first.close();
    expect(existsSync(join(dir, LOCK_OWNER_FILE))).toBe(false);
    const second = await open(dir);
    await second.close();
  });

  it('starts over the pid-file lock an earlier version left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    // a real pid that is certainly gone now (a live one is no obstacle either: tests/app/instance-lock.test.ts)
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, 'botdesk.lock'), dead);
    const rt = await open(dir);
    await rt.close();
  });
});

describe('restart keeps the log tail', () => {
  it("serves the previous run's log records after a restart, oldest under newest", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-logs-'));
    const first = await open(dir);
    first.logger.warn('before the restart: a warning to remember');
    await first.close();
    const second = await open(dir);
    try {
      second.logger.info('after the restart');
      const tail = second.logger.tail('info', 1000);
      const before = tail.findIndex((r) => r.msg === 'before the restart: a warning to remember');
      const after = tail.findIndex((r) => r.msg === 'after the restart');
      expect(before).toBeGreaterThan(after); // newest first
      expect(after).toBe(0);
    } finally {
      await second.close();
    }
  });
});
