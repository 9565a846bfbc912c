// The fleet manager in-process (the way the desktop app hosts it): alerts to a callback naming the bot, the local
// bot's row and events, today's P&L following the status, and where the list and the tokens are kept on disk.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAlert, FleetEventData } from '../../src-shared/contract';
import { becameSelfPaused as selfPaused } from '../../src-shared/pause-reasons';
import { FileTokenVault, FleetStore } from '../../src-main/fleet/fleet-store';
import { testKeychain } from '../helpers/test-keychain';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import type { EventBus } from '../../src-main/engine/events/event-bus';
import { FleetManager } from '../../src-main/fleet/fleet-manager';
import { startTunnel } from '../helpers/tcp-tunnel';
import { waitFor } from '../helpers/wait';

describe('fleet manager in-process', () => {
  let hub: ApiHarness;
  let remote: ApiHarness;
  const alerts: FleetAlert[] = [];
  const fleetEvents: FleetEventData[] = [];

  beforeAll(async () => {
    [hub, remote] = await Promise.all([startApi({ replaySpeed: 50 }), startApi({ replaySpeed: 50 })]);
    hub.runtime.fleet.onAlert((a) => alerts.push(a));
    hub.runtime.fleet.events.subscribe((e) => fleetEvents.push(e.data as FleetEventData));
  });
  afterAll(async () => {
    await hub.close();
    await remote?.close().catch(() => undefined);
  });

  it("shows this computer first, with its status and today's P&L, and forwards its events", async () => {
    const local = hub.runtime.fleet.fleet().bots[0];
    expect(local).toMatchObject({ id: 'local', kind: 'local', link: 'local', health: { connection: 'local' } });
    expect(local.status?.symbol).toBe((await hub.call('GET', '/bot/status')).body.symbol);
    expect(local.today_pnl).toBe((await hub.call('GET', '/bot/stats')).body.today_pnl);
    await hub.call('POST', '/bot/start');
    await waitFor(() => fleetEvents.some((d) => d.kind === 'event' && d.bot_id === 'local'), 'a local event on the fleet bus');
  });

  it("a remote row shows the equity and today's P&L the remote's own status and stats give, not figures of its own", async () => {
    const added = await hub.call('POST', '/fleet/bots', { name: 'Figures', url: remote.url, token: remote.token });
    expect(added.status).toBe(200);
    const id = added.body.bot.id as string;
    try {
      await remote.call('POST', '/bot/start');
      await waitFor(
        () => (hub.runtime.fleet.fleet().bots.find((b) => b.id === id)?.status?.equity_ts ?? 0) > 0,
        'the remote marked to market',
      );
      expect((await remote.call('POST', '/bot/stop')).status).toBe(200);
      const stats = (await remote.call('GET', '/bot/stats')).body;
      // stopped, the figures hold still: the row waits for the stop's status event, then says what the stats say
      const row = await waitFor(
        () => hub.runtime.fleet.fleet().bots.find((b) => b.id === id && b.status?.state === 'stopped'),
        'the row to show the stop',
      );
      expect(row.today_pnl).toBe(row.status?.today_pnl);
      expect(row.today_pnl).toBeCloseTo(stats.today_pnl, 9);
      expect(row.status?.equity).toBeCloseTo(stats.equity, 9);
    } finally {
      await remote.call('POST', '/bot/start'); // the tests after this one act on a running remote
      await hub.call('POST', `/fleet/bots/${id}/remove`, {});
    }
  });

  it("turns a bot's error event into one alert naming it, not one per repeat", async () => {
    const bus = hub.runtime.events as EventBus;
    bus.publish('error', { code: 'exchange_error', message: 'binance answered 503' });
    bus.publish('error', { code: 'exchange_error', message: 'binance answered 503' });
    await waitFor(() => alerts.some((a) => a.kind === 'error'), 'an error alert');
    const errors = alerts.filter((a) => a.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ bot_id: 'local', name: 'This computer', message: 'This computer: binance answered 503' });
  });

  it('the hub keeps its own audit of what was done through it, naming the bot; reads are not recorded', async () => {
    const added = await hub.call('POST', '/fleet/bots', { name: 'Audited', url: remote.url, token: remote.token });
    expect(added.status).toBe(200);
    const id = added.body.bot.id as string;
    try {
      expect((await hub.call('POST', `/fleet/bots/${id}/control`, { action: 'pause' })).status).toBe(200);
      expect((await hub.call('POST', `/fleet/bots/${id}/call`, { operation: 'getStatus' })).status).toBe(200);
      expect((await hub.call('POST', `/fleet/bots/${id}/call`, { operation: 'resumeBot' })).status).toBe(200);
      const records = (await hub.call('GET', '/bot/audit?limit=20')).body.records as {
        action: string;
        actor: string;
        detail: Record<string, unknown>;
      }[];
      const mine = records
        .filter((r) => r.detail.bot_id === id)
        .map((r) => [r.action, r.detail.action ?? r.detail.operation ?? null])
        .reverse();
      expect(mine).toEqual([
        ['fleet_add', null],
        ['fleet_control', 'pause'],
        ['fleet_call', 'resumeBot'],
      ]);
      expect(records.every((r) => !JSON.stringify(r).includes(remote.token))).toBe(true);
    } finally {
      await hub.call('POST', `/fleet/bots/${id}/remove`, {});
    }
  });

  it('a bot whose token cannot be read leaves the fleet with a warning, so it can be added again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-fleet-orphan-'));
    const warnings: string[] = [];
    const logger = { ...hub.runtime.logger, warn: (m: string) => void warnings.push(m) };
    try {
      const first = new FleetManager({ dataDir: dir, handlers: hub.runtime.handlers, events: hub.runtime.events });
      const bot = await first.add({ name: 'Orphan', url: remote.url, token: remote.token });
      first.close();
      rmSync(join(dir, 'fleet-tokens.json')); // the token is gone (a keychain that changed does the same)
      const again = new FleetManager({ dataDir: dir, handlers: hub.runtime.handlers, events: hub.runtime.events, logger: logger as never });
      try {
        expect(again.fleet().bots.map((b) => b.id)).not.toContain(bot.id);
        expect(warnings).toEqual([expect.stringMatching(/the token for Orphan .* could not be read; it left the fleet: add it again/)]);
        expect(readFileSync(join(dir, 'fleet.json'), 'utf8')).not.toContain('Orphan');
        const added = await again.add({ name: 'Orphan', url: remote.url, token: remote.token });
        expect(again.fleet().bots.map((b) => b.id)).toContain(added.id);
      } finally {
        again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('raises an alert naming the bot when a remote disconnects, to the callback and on the fleet stream', async () => {
    const bot = await hub.runtime.fleet.add({ name: 'Remote one', url: remote.url, token: remote.token });
    await waitFor(() => hub.runtime.fleet.fleet().bots.find((b) => b.id === bot.id)?.health.connection === 'connected', 'connected');
    await waitFor(() => hub.runtime.fleet.fleet().bots.find((b) => b.id === bot.id)?.health.latency_ms !== null, 'a round-trip figure');
    await remote.close();
    await waitFor(() => alerts.some((a) => a.bot_id === bot.id && a.kind === 'disconnected'), 'the disconnect alert');
    const alert = alerts.find((a) => a.kind === 'disconnected')!;
    expect(alert.message).toMatch(/^Remote one disconnected/);
    expect(fleetEvents.some((d) => d.kind === 'alert' && d.alert.kind === 'disconnected')).toBe(true);
    const row = hub.runtime.fleet.fleet().bots.find((b) => b.id === bot.id)!;
    expect(row.health).toMatchObject({ connection: 'disconnected', latency_ms: null });
  });
});

describe('a remote that stops answering (a dropped VPN: connections open, nothing comes back)', () => {
  it('is reported unreachable by pause-all after the call timeout, and its silent stream is cut and resumed', async () => {
    // the remote pings every 200 ms, so the hub may call its stream dead after 1 s of silence
    const [host, remote] = await Promise.all([
      startApi({ replaySpeed: 50 }),
      startApi({ replaySpeed: 50, stream: { pingIntervalMs: 200 } }),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-fleet-timeout-'));
    const tunnel = await startTunnel(remote.port);
    const fleet = new FleetManager({
      dataDir: dir,
      handlers: host.runtime.handlers,
      events: host.runtime.events,
      requestTimeoutMs: 700,
      streamSilenceMs: 1000,
    });
    try {
      await host.call('POST', '/bot/start');
      const bot = await fleet.add({ name: 'Far away', url: `http://127.0.0.1:${tunnel.port}`, token: remote.token });
      tunnel.stall();
      const t0 = Date.now();
      const outcomes = await fleet.pauseAll({ actor: 'test' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(outcomes.find((o) => o.bot_id === bot.id)).toMatchObject({
        result: 'unreachable',
        detail: 'Far away did not answer within 0.7 s.',
      });
      expect(outcomes.find((o) => o.bot_id === 'local')?.result).toBe('ok');
      // the stream, open but silent, is cut and shown as disconnected; once the link is back it resumes
      await waitFor(
        () => fleet.fleet().bots.find((b) => b.id === bot.id)?.health.connection === 'disconnected',
        'the silent stream cut',
        5000,
      );
      tunnel.restore();
      await waitFor(() => fleet.fleet().bots.find((b) => b.id === bot.id)?.health.connection === 'connected', 'connected again', 10_000);
    } finally {
      fleet.close();
      await tunnel.close();
      await Promise.all([host.close(), remote.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fleet pieces', () => {
  it("counts a pause with a reason as a self-pause once, never a person's close-all", () => {
    const base = { state: 'running', paused_reason: null } as never;
    const tripped = { state: 'paused', paused_reason: 'daily loss limit of 3% reached' } as never;
    expect(selfPaused(base, tripped)).toBe(true);
    expect(selfPaused(tripped, tripped)).toBe(false);
    expect(selfPaused(base, { state: 'paused', paused_reason: null } as never)).toBe(false);
    expect(selfPaused(base, { state: 'paused', paused_reason: 'close-all by api:control' } as never)).toBe(false);
  });

  it('desktop: keeps the tokens encrypted by the keychain; a file the keychain cannot open is set aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-fleet-vault-'));
    try {
      const keychain = testKeychain();
      new FileTokenVault(dir, keychain).set('b1', 'secret-token-0123456789');
      const file = join(dir, 'fleet-tokens.enc');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file).includes('secret-token')).toBe(false);
      expect(existsSync(join(dir, 'fleet-tokens.json'))).toBe(false);
      expect(new FileTokenVault(dir, keychain).get('b1')).toBe('secret-token-0123456789');
      // another keychain (a new OS profile, a reset keyring): the bots are asked for their tokens again
      expect(new FileTokenVault(dir, testKeychain()).get('b1')).toBeUndefined();
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps tokens in a 0600 file apart from the list, and tightens a loosened one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-fleet-store-'));
    try {
      const vault = new FileTokenVault(dir);
      vault.set('b1', 'secret-token-0123456789');
      expect(statSync(join(dir, 'fleet-tokens.json')).mode & 0o777).toBe(0o600);
      chmodSync(join(dir, 'fleet-tokens.json'), 0o644);
      expect(new FileTokenVault(dir).get('b1')).toBe('secret-token-0123456789');
      expect(statSync(join(dir, 'fleet-tokens.json')).mode & 0o777).toBe(0o600);
      vault.delete('b1');
      expect(readFileSync(join(dir, 'fleet-tokens.json'), 'utf8')).not.toContain('secret');

      const store = new FleetStore(dir);
      store.save({ version: 1, bots: [{ id: 'b1', name: 'VPS', url: 'http://127.0.0.1:18080', link: 'loopback', added_at: 1 }] });
      expect(store.load().bots[0].name).toBe('VPS');
      writeFileSync(join(dir, 'fleet.json'), '{"bots": "nope"}');
      expect(() => store.load()).toThrow(/not a fleet list BotDesk wrote/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable fleet list or token file does not stop the bot: set aside, empty fleet, logged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-fleet-bad-'));
    writeFileSync(join(dir, 'fleet.json'), 'not json');
    writeFileSync(join(dir, 'fleet-tokens.json'), '[1, 2', { mode: 0o600 });
    const api = await startApi({ dataDir: dir });
    try {
      expect((await api.call('GET', '/fleet')).body.bots.map((b: { id: string }) => b.id)).toEqual(['local']);
      const names = readdirSync(dir);
      expect(names.some((n) => n.startsWith('fleet.json.unreadable-'))).toBe(true);
      expect(names.some((n) => n.startsWith('fleet-tokens.json.unreadable-'))).toBe(true);
      expect(api.runtime.logger.tail('error', 10).some((r) => /starting with an empty fleet/.test(r.msg))).toBe(true);
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
