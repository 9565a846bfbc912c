// The settings file: defaults, atomic 0600 writes, a damaged file never stops the app, all-or-nothing changes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src-shared/contract';
import { SETTINGS_FILE, SettingsStore } from '../../src-main/desktop/settings-store';

describe('SettingsStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from the defaults, saves a partial change whole (0600, no temporary file left) and tells listeners', async () => {
    const store = new SettingsStore({ dataDir: dir });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.warning).toBeNull();
    const heard: unknown[] = [];
    store.onChange((next, prev) => heard.push([next.notifications.trades, prev.notifications.trades]));
    await store.update({ notifications: { trades: false }, api_port: 9123 });
    const expected = { ...DEFAULT_SETTINGS, api_port: 9123, notifications: { ...DEFAULT_SETTINGS.notifications, trades: false } };
    expect(store.get()).toEqual(expected);
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toEqual(expected);
    expect(statSync(join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
    expect(heard).toEqual([[false, true]]);
    expect(new SettingsStore({ dataDir: dir }).get()).toEqual(expected);
  });

  it('a refused change (the check throws) writes nothing and tells no one', async () => {
    const store = new SettingsStore({ dataDir: dir });
    let heard = 0;
    store.onChange(() => heard++);
    await expect(
      store.update({ launch_at_login: true }, () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(store.get().launch_at_login).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(heard).toBe(0);
  });

  it('a file that is not JSON: defaults and a warning, never a crash', () => {
    writeFileSync(join(dir, SETTINGS_FILE), '{"api_port": 90');
    const warnings: string[] = [];
    const store = new SettingsStore({ dataDir: dir, onWarning: (m) => warnings.push(m) });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.warning).toMatch(/could not be read.*default/);
    expect(warnings).toEqual([store.warning]);
  });

  it('a field that fails its schema falls back alone; fields it does not know are ignored', () => {
    writeFileSync(
      join(dir, SETTINGS_FILE),
      JSON.stringify({ api_port: 80, launch_at_login: true, notifications: { errors: false }, from_the_future: 1 }),
    );
    const store = new SettingsStore({ dataDir: dir });
    expect(store.get()).toEqual({
      api_port: DEFAULT_SETTINGS.api_port,
      launch_at_login: true,
      notifications: { ...DEFAULT_SETTINGS.notifications, errors: false },
      live_limits: DEFAULT_SETTINGS.live_limits,
    });
    expect(store.warning).toMatch(/invalid api_port/);
  });
});
