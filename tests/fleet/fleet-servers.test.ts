// The fleet against real BotDesk servers: three `npm run serve` processes (their own data directories and ports), one
// of them the hub. Everything goes through the hub's HTTP API and its /ws/fleet stream, as the dashboard does.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotEvent, FleetBot, FleetEventData, FleetOutcome, Fleet, Status } from '../../src-shared/contract';
import { startServer, type RunningServer } from '../e2e/server-process';
import { connectEvents, type EventClient } from '../helpers/ws-client';
import { startTunnel, type TcpTunnel } from '../helpers/tcp-tunnel';
import { waitFor } from '../helpers/wait';

const READ_TOKEN = 'fleet-test-read-token-0123456789';
const dirs: string[] = [];
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `botdesk-fleet-${name}-`));
  dirs.push(d);
  return d;
};

let hub: RunningServer;
let bravo: RunningServer;
let charlie: RunningServer;
let bravoDir: string;
let hubDir: string;
let stream: EventClient;
let notBotDesk: Server;

const fleetEvents = () => stream.events.map((e) => (e as BotEvent<'fleet'>).data as FleetEventData);
const forwardedOf = (botId: string) => fleetEvents().flatMap((d) => (d.kind === 'event' && d.bot_id === botId ? [d.event] : []));
const alertsOf = (botId: string) => fleetEvents().flatMap((d) => (d.kind === 'alert' && d.alert.bot_id === botId ? [d.alert] : []));
const getFleet = async () => (await hub.api<Fleet>('GET', '/fleet')).body;
const row = async (id: string) => (await getFleet()).bots.find((b) => b.id === id) as FleetBot;
const add = (body: Record<string, unknown>) =>
  hub.api<{ bot: FleetBot; error: string; fields: Record<string, string> }>('POST', '/fleet/bots', body);
const ids: Record<string, string> = {};

describe('fleet hub over real servers', () => {
  beforeAll(async () => {
    bravoDir = tempDir('bravo');
    hubDir = tempDir('hub');
    [hub, bravo, charlie] = await Promise.all([
      startServer({ dataDir: hubDir, env: { BOT_API_READ_TOKEN: READ_TOKEN } }),
      startServer({ dataDir: bravoDir }),
      startServer({ dataDir: tempDir('charlie') }),
    ]);
    stream = await connectEvents(`${hub.url.replace('http', 'ws')}/ws/fleet`, { headers: { Authorization: `Bearer ${hub.token}` } });
    // something that answers HTTP but is not BotDesk
    notBotDesk = createServer((_req, res) => res.end('<html>hello</html>'));
    await new Promise<void>((ok) => notBotDesk.listen(0, '127.0.0.1', ok));
  }, 60_000);

  afterAll(async () => {
    if (hub && hub.process.exitCode !== null) console.error(`the hub exited (${hub.process.exitCode}):\n${hub.output().slice(-4000)}`);
    stream?.ws.terminate();
    notBotDesk?.close();
    await Promise.all([hub?.stop(), bravo?.stop(), charlie?.stop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a wrong token, an unreachable host, a server that is not BotDesk and plain http off the machine, each in one sentence', async () => {
    const wrong = await add({ name: 'Bravo', url: bravo.url, token: 'x'.repeat(43) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.token).toMatch(/refused this token/);

    const closed = await add({ name: 'Nowhere', url: 'http://127.0.0.1:1', token: bravo.token });
    expect(closed.status).toBe(502);
    expect(closed.body.fields.url).toMatch(/^Nothing answered at http:\/\/127\.0\.0\.1:1 /);

    const other = await add({ name: 'Web', url: `http://127.0.0.1:${(notBotDesk.address() as AddressInfo).port}`, token: bravo.token });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatch(/not a BotDesk server/);

    const plain = await add({ name: 'Office', url: 'http://10.20.30.40:8080', token: bravo.token });
    expect(plain.status).toBe(400);
    expect(plain.body.fields.url).toMatch(/SSH tunnel or https:\/\/, or confirm .* VPN/);

    const badInput = await add({ name: '', url: bravo.url, token: 'short' });
    expect(badInput.status).toBe(400);
    expect(Object.keys(badInput.body.fields).sort()).toEqual(['name', 'token']);
    expect((await getFleet()).bots.map((b) => b.id)).toEqual(['local']);
  });

  it('adds bots by URL and token; the tokens stay in the hub (0600 file, never in an answer)', async () => {
    const b = await add({ name: 'Bravo', url: bravo.url, token: bravo.token });
    expect(b.status).toBe(200);
    expect(b.body.bot).toMatchObject({ name: 'Bravo', kind: 'remote', url: bravo.url, link: 'loopback' });
    ids.bravo = b.body.bot.id;
    const c = await add({ name: 'Charlie', url: charlie.url, token: charlie.token });
    ids.charlie = c.body.bot.id;
    expect((await add({ name: 'bravo', url: charlie.url, token: charlie.token })).status).toBe(409);
    expect((await add({ name: 'Again', url: bravo.url, token: bravo.token })).body.fields.url).toMatch(/already added as Bravo/);

    await waitFor(
      async () => (await getFleet()).bots.every((r) => ['local', 'connected'].includes(r.health.connection) && r.status),
      'every bot connected with a status',
    );
    const fleet = await getFleet();
    expect(fleet.bots.map((r) => r.name)).toEqual(['This computer', 'Bravo', 'Charlie']);
    expect(fleet.totals).toEqual([expect.objectContaining({ quote: 'USDT', bots: 3 })]);
    expect(fleet.totals[0].equity).toBeCloseTo(
      fleet.bots.reduce((s, r) => s + (r.status?.equity ?? 0), 0),
      6,
    );

    expect(statSync(join(hubDir, 'fleet-tokens.json')).mode & 0o777).toBe(0o600);
    const listFile = readFileSync(join(hubDir, 'fleet.json'), 'utf8');
    for (const secret of [bravo.token, charlie.token]) {
      expect(listFile).not.toContain(secret);
      expect(JSON.stringify(fleet)).not.toContain(secret);
      expect(JSON.stringify(stream.events)).not.toContain(secret);
      expect(hub.output()).not.toContain(secret);
    }
    // the overview hears each bot's own events through the hub
    await waitFor(() => forwardedOf(ids.bravo).length > 0 && forwardedOf(ids.charlie).length > 0, 'events of both remotes on /ws/fleet');
  });

  it('renames and removes; this computer can be renamed but not removed', async () => {
    expect((await hub.api<{ bot: FleetBot }>('PUT', `/fleet/bots/${ids.charlie}`, { name: 'Charlie VPS' })).body.bot.name).toBe(
      'Charlie VPS',
    );
    expect((await hub.api('PUT', `/fleet/bots/${ids.charlie}`, { name: 'Bravo' })).status).toBe(409);
    expect((await hub.api('PUT', '/fleet/bots/local', { name: 'Desk' })).status).toBe(200);
    expect((await hub.api('POST', '/fleet/bots/local/remove')).status).toBe(409);
    expect((await hub.api('POST', '/fleet/bots/nosuchbot/remove')).status).toBe(404);

    const removed = await hub.api('POST', `/fleet/bots/${ids.charlie}/remove`);
    expect(removed.status).toBe(200);
    expect((await getFleet()).bots.map((r) => r.name)).toEqual(['Desk', 'Bravo']);
    expect(readFileSync(join(hubDir, 'fleet-tokens.json'), 'utf8')).not.toContain(charlie.token);
    const again = await add({ name: 'Charlie VPS', url: charlie.url, token: charlie.token });
    ids.charlie = again.body.bot.id;
    await waitFor(async () => (await row(ids.charlie)).health.connection === 'connected', 'Charlie connected again');
  });

  it('a control action on each bot reaches that bot and no other', async () => {
    const servers: [string, RunningServer][] = [
      ['local', hub],
      [ids.bravo, bravo],
      [ids.charlie, charlie],
    ];
    const state = async (s: RunningServer) => (await s.api<{ state: string }>('GET', '/bot/status')).body.state;
    for (const [id, target] of servers) {
      const others = servers.filter(([, s]) => s !== target).map(([, s]) => s);
      const before = await Promise.all(others.map(state));
      const r = await hub.api<{ outcome: FleetOutcome }>('POST', `/fleet/bots/${id}/control`, { action: 'pause' });
      expect(r.status).toBe(200);
      expect(r.body.outcome.result).toBe('ok');
      expect(await state(target)).toBe('paused');
      expect(await Promise.all(others.map(state))).toEqual(before);
      expect((await hub.api('POST', `/fleet/bots/${id}/control`, { action: 'resume' })).status).toBe(200);
      expect(await state(target)).toBe('running');
    }
    expect((await hub.api('POST', `/fleet/bots/${ids.bravo}/control`, { action: 'explode' })).status).toBe(400);
  });

  it('calls any bot operation on a remote through the hub, checked against the operation table', async () => {
    const call = (body: unknown, token?: string) =>
      hub.api<{ result: any; error: string; fields: Record<string, string> }>(
        'POST',
        `/fleet/bots/${ids.charlie}/call`,
        body,
        token ? { Authorization: `Bearer ${token}` } : {},
      );
    const changed = await call({ operation: 'updateConfig', input: { body: { stop_loss_pct: 2.75 } } });
    expect(changed.status).toBe(200);
    expect((await charlie.api<{ stop_loss_pct: number }>('GET', '/bot/config')).body.stop_loss_pct).toBe(2.75);
    expect((await bravo.api<{ stop_loss_pct: number }>('GET', '/bot/config')).body.stop_loss_pct).not.toBe(2.75);

    const bad = await call({ operation: 'updateConfig', input: { body: { stop_loss_pct: -1 } } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields)).toContain('stop_loss_pct');
    expect((await call({ operation: 'getFleet' })).status).toBe(400);
    expect((await call({ operation: 'dropDatabase' })).body.fields.operation).toBeDefined();
    const trades = await call({ operation: 'getTrades', input: { query: { limit: '5' } } }, READ_TOKEN);
    expect(trades.status).toBe(200);
    expect(Array.isArray(trades.body.result.trades)).toBe(true);
    // the hub's read token reads, but does not control, a remote bot
    expect((await call({ operation: 'pauseBot' }, READ_TOKEN)).status).toBe(403);
    expect(
      (await hub.api('POST', `/fleet/bots/${ids.charlie}/control`, { action: 'pause' }, { Authorization: `Bearer ${READ_TOKEN}` })).status,
    ).toBe(403);
  });

  it('a killed bot shows disconnected, pause-all reports it while pausing the others, and after restart nothing is missing', async () => {
    await bravo.stop('SIGKILL');
    await waitFor(async () => (await row(ids.bravo)).health.connection === 'disconnected', 'Bravo shown disconnected');
    expect((await row(ids.bravo)).health.error).toMatch(/lost/);
    expect(alertsOf(ids.bravo).map((a) => a.kind)).toContain('disconnected');

    const all = await hub.api<{ all_ok: boolean; outcomes: FleetOutcome[] }>('POST', '/fleet/pause-all');
    expect(all.status).toBe(200);
    expect(all.body.all_ok).toBe(false);
    const byId = Object.fromEntries(all.body.outcomes.map((o) => [o.bot_id, o]));
    expect(byId[ids.bravo]).toMatchObject({ result: 'unreachable', name: 'Bravo' });
    expect(byId[ids.bravo].detail).toMatch(/Bravo cannot be reached/);
    expect(byId.local.result).toBe('ok');
    expect(byId[ids.charlie].result).toBe('ok');
    expect((await hub.api<{ state: string }>('GET', '/bot/status')).body.state).toBe('paused');
    expect((await charlie.api<{ state: string }>('GET', '/bot/status')).body.state).toBe('paused');

    const eventsBefore = forwardedOf(ids.bravo).length;
    const lastSeen = forwardedOf(ids.bravo).at(-1)!.seq;
    bravo = await startServer({ dataDir: bravoDir, port: bravo.port });
    await waitFor(async () => (await row(ids.bravo)).health.connection === 'connected', 'Bravo connected again after its restart');
    expect(alertsOf(ids.bravo).map((a) => a.kind)).toContain('reconnected');
    // the restarted server goes on from its journaled seq (docs/contract.md §5): what it published that the hub had
    // not seen, before the kill and after the restart, is replayed in order, with no gap and no repeat
    await waitFor(() => forwardedOf(ids.bravo).length > eventsBefore + 3, 'events of the restarted Bravo');
    const after = forwardedOf(ids.bravo)
      .slice(eventsBefore)
      .map((e) => e.seq);
    expect(after[0]).toBe(lastSeen + 1);
    expect(after).toEqual(after.map((_, i) => lastSeen + 1 + i));
    // and the row reads the restarted bot's own status again
    const bravoState = (await bravo.api<{ state: string }>('GET', '/bot/status')).body.state;
    await waitFor(async () => (await row(ids.bravo)).status?.state === bravoState, "Bravo's row matches its status");
  });

  it('reaches a bot through a tunnel on another local port, and a network blip loses no event', async () => {
    let tunnel: TcpTunnel | null = await startTunnel(charlie.port);
    try {
      const viaTunnel = await add({ name: 'Charlie tunnel', url: `http://127.0.0.1:${tunnel.port}`, token: charlie.token });
      // the same server under a second URL: allowed (another route to it), it is a separate row
      expect(viaTunnel.status).toBe(200);
      const id = viaTunnel.body.bot.id;
      await waitFor(async () => (await row(id)).health.connection === 'connected', 'connected through the tunnel');
      await charlie.api('POST', '/bot/resume');
      await waitFor(() => forwardedOf(id).length > 5, 'events through the tunnel');
      const seenBefore = forwardedOf(id).length;
      tunnel.cut();
      await waitFor(async () => (await row(id)).health.connection === 'disconnected', 'tunnel row disconnected');
      // Charlie keeps publishing while the tunnel is down
      await charlie.api('PUT', '/bot/config', { take_profit_pct: 5.5 });
      const changedAt = (await charlie.api<Status>('GET', '/bot/status')).body.equity_ts ?? 0;
      await waitFor(
        async () => ((await charlie.api<Status>('GET', '/bot/status')).body.equity_ts ?? 0) > changedAt,
        'Charlie trading on while cut off',
      );
      tunnel.restore();
      await waitFor(async () => (await row(id)).health.connection === 'connected', 'tunnel row connected again');
      await waitFor(() => forwardedOf(id).some((e) => e.type === 'config_changed'), 'the change made during the blip');
      const seqs = forwardedOf(id).map((e) => e.seq);
      expect(seqs.length).toBeGreaterThan(seenBefore);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
      await hub.api('POST', `/fleet/bots/${id}/remove`);
    } finally {
      await tunnel?.close();
      tunnel = null;
    }
  });
});
