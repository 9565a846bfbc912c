// GET/PUT /settings over a real socket, composed as the app composes it: bad input names the field and saves
// nothing, a port another program holds is refused, launch at login goes through the shell's hook.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src-shared/contract';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';

const listen = (port = 0) =>
  new Promise<Server>((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(port, '127.0.0.1', () => ok(s));
  });
const portOf = (s: Server) => (s.address() as { port: number }).port;
const closeServer = (s: Server) => new Promise<void>((ok) => s.close(() => ok()));

describe('settings over the API (headless)', () => {
  let desk: DeskHarness;
  let file: string;
  beforeAll(async () => {
    desk = await startDesk();
    file = join(desk.dataDir, 'settings.json');
  });
  afterAll(() => desk.close());

  it('reads the defaults and what overrides them', async () => {
    const res = await desk.call('GET', '/settings');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      settings: DEFAULT_SETTINGS,
      api: { listening_port: desk.services.api.port, port_from_env: 0 },
      launch_at_login_applies: 'desktop_app',
      tokens: { control: { source: 'file', rotatable: true }, read: { configured: false, source: null, editable: true } },
      warning: null,
      live_limits: { in_force: { markets: [], max_daily_loss_pct: 10, max_order: null }, from_env: [] },
    });
  });

  it('a bad port, a bad switch or an unknown field: 400 naming each, nothing saved', async () => {
    for (const [body, field] of [
      [{ api_port: 80, notifications: { trades: false } }, 'api_port'],
      [{ api_port: 70000 }, 'api_port'],
      [{ api_port: '9000' }, 'api_port'],
      [{ api_port: 9000.5 }, 'api_port'],
      [{ notifications: { trades: 'no' } }, 'notifications.trades'],
      [{ notifications: { sounds: true } }, 'notifications.sounds'],
      [{ theme: 'dark' }, 'theme'],
      // live limits are the desktop window's (updateLiveLimits over IPC), never a control token's
      [{ live_limits: { max_order: 1e6 } }, 'live_limits'],
    ] as const) {
      const res = await desk.call('PUT', '/settings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.fields)).toContain(field);
    }
    expect(existsSync(file)).toBe(false);
    expect((await desk.call('GET', '/settings')).body.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('a port another program holds: 400 naming api_port, nothing saved; the port the API is on is accepted', async () => {
    const other = await listen();
    try {
      const res = await desk.call('PUT', '/settings', { api_port: portOf(other), notifications: { errors: false } });
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual({ api_port: `port ${portOf(other)} is in use by another program` });
      expect(existsSync(file)).toBe(false);
    } finally {
      await closeServer(other);
    }
    const ours = await desk.call('PUT', '/settings', { api_port: desk.services.api.port });
    expect(ours.status).toBe(200);
    expect(ours.body.settings.settings.api_port).toBe(desk.services.api.port);
  });

  it('saves a partial change to settings.json and tells settings listeners (the tray)', async () => {
    const heard: boolean[] = [];
    const stop = desk.services.settings.onChange((s) => heard.push(s.notifications.connection));
    const res = await desk.call('PUT', '/settings', { notifications: { connection: false }, launch_at_login: true });
    stop();
    expect(res.status).toBe(200);
    expect(res.body.settings.settings.notifications).toEqual({ ...DEFAULT_SETTINGS.notifications, connection: false });
    expect(JSON.parse(readFileSync(file, 'utf8')).launch_at_login).toBe(true);
    expect(heard).toEqual([false]);
  });

  it('the read-only token may read the settings but not change them', async () => {
    const read = (await desk.call('POST', '/auth/read-token', {})).body.token as string;
    expect((await desk.call('GET', '/settings', undefined, read)).status).toBe(200);
    expect((await desk.call('PUT', '/settings', { launch_at_login: false }, read)).status).toBe(403);
    expect(desk.services.settings.get().launch_at_login).toBe(true);
  });
});

describe('settings at start and in the desktop shell', () => {
  it('the saved api_port is used when BOT_API_PORT is unset; BOT_API_PORT wins when set', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-port-'));
    try {
      const probe = await listen();
      const port = portOf(probe);
      await closeServer(probe);
      writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, api_port: port }));
      const saved = await startDesk({ dataDir, env: { BOT_API_PORT: '' } });
      expect(saved.services.api.port).toBe(port);
      expect(saved.stdout.at(-1)).toBe(`BotDesk API listening on http://127.0.0.1:${port}`);
      expect((await saved.call('GET', '/settings')).body.api).toEqual({ listening_port: port, port_from_env: null });
      await saved.close();
      const env = await startDesk({ dataDir, env: { BOT_API_PORT: '0' } });
      expect(env.services.api.port).not.toBe(port);
      await env.close();
      // the saved port taken by another program at start: one sentence saying where the port came from
      const other = await listen(port);
      try {
        await expect(startDesk({ dataDir, env: { BOT_API_PORT: '' } })).rejects.toThrow(
          /Port \d+ is in use.*saved in Settings.*BOT_API_PORT=0/,
        );
      } finally {
        await closeServer(other);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('launch at login goes through the shell; a refusal is 409 naming launch_at_login and nothing is saved', async () => {
    const calls: boolean[] = [];
    let refuse = false;
    const desk = await startDesk({
      applyLaunchAtLogin: (on) => {
        if (refuse) throw new Error('login items are managed by your administrator');
        calls.push(on);
      },
    });
    try {
      expect((await desk.call('GET', '/settings')).body.launch_at_login_applies).toBe('here');
      expect((await desk.call('PUT', '/settings', { launch_at_login: true })).status).toBe(200);
      expect((await desk.call('PUT', '/settings', { launch_at_login: true, notifications: { trades: false } })).status).toBe(200);
      expect(calls).toEqual([true]);
      refuse = true;
      const res = await desk.call('PUT', '/settings', { launch_at_login: false, notifications: { errors: false } });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/administrator.*nothing was saved/);
      expect(res.body.fields).toEqual({ launch_at_login: 'refused by the system' });
      expect(desk.services.settings.get()).toMatchObject({ launch_at_login: true, notifications: { errors: true } });
    } finally {
      await desk.close();
    }
  });
});
