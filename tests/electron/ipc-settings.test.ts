// The desktop window's path to settings, tokens and keys: the same operations over the IPC router as over HTTP,
// answering alike, with the keys going in and never coming back out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type BridgeResult, type OperationName } from '../../src-shared/contract';
import { FileSecretStore } from '../../src-main/desktop/secret-store';
import { registerIpcRouter, type IpcInvokeEvent } from '../../src-main/ipc/ipc-router';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { testKeychain } from '../helpers/test-keychain';

const API_KEY = 'IPC-SENTINEL-apikey-0011223344AbCd';
const SECRET = 'IPC-SENTINEL-secret-5566778899eeff';

describe('settings, tokens and keys over IPC', () => {
  let desk: DeskHarness;
  let dispose: () => void;
  const channels = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  const page: IpcInvokeEvent = {
    sender: { id: 1, send: () => undefined, isDestroyed: () => false, once: () => undefined },
    senderFrame: { url: 'file:///app/index.html', parent: null },
  };
  // Electron copies arguments and answers with the structured clone algorithm
  const call = async <N extends OperationName>(name: N, input?: unknown): Promise<BridgeResult<N>> =>
    structuredClone(await channels.get(IPC_CHANNELS.call)!(page, name, structuredClone(input))) as BridgeResult<N>;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-ipc-settings-'));
    desk = await startDesk({ dataDir, secrets: new FileSecretStore(dataDir, testKeychain()) });
    dispose = registerIpcRouter({
      ipc: { handle: (c, fn) => void channels.set(c, fn), removeHandler: (c) => void channels.delete(c) },
      handlers: desk.services.runtime.handlers,
      events: desk.services.runtime.events,
      isTrustedSender: (e) => e.senderFrame?.url === 'file:///app/index.html',
    });
  });
  afterAll(async () => {
    dispose();
    await desk.close();
    rmSync(desk.dataDir, { recursive: true, force: true });
  });

  it('answers getSettings as HTTP does', async () => {
    const ipc = await call('getSettings');
    expect(ipc.ok).toBe(true);
    expect(ipc.ok && ipc.data).toEqual((await desk.call('GET', '/settings')).body);
  });

  it('a bad change is refused with the field named, as over HTTP', async () => {
    const ipc = await call('updateSettings', { body: { api_port: 1 } });
    expect(ipc).toMatchObject({ ok: false, status: 400, body: { fields: { api_port: expect.any(String) } } });
  });

  it('live limits are set from the window only: IPC saves them (bad values named), HTTP has no route and PUT /settings refuses them', async () => {
    const bad = await call('updateLiveLimits', { body: { markets: ['ETHBTC'], max_daily_loss_pct: 0 } });
    expect(bad).toMatchObject({
      ok: false,
      status: 400,
      body: { fields: { 'markets.0': expect.any(String), max_daily_loss_pct: expect.any(String) } },
    });
    const saved = await call('updateLiveLimits', { body: { markets: ['ETH/BTC'], max_order: 0.05 } });
    expect(saved).toMatchObject({
      ok: true,
      data: { settings: { settings: { live_limits: { markets: ['ETH/BTC'], max_daily_loss_pct: 10, max_order: 0.05 } } } },
    });
    const http = await desk.call('PUT', '/live-limits', { max_order: null });
    expect(http.status).toBe(404);
    expect((await desk.call('PUT', '/settings', { live_limits: { max_order: null } })).status).toBe(400);
    expect((await desk.call('GET', '/settings')).body.settings.live_limits).toEqual({
      markets: ['ETH/BTC'],
      max_daily_loss_pct: 10,
      max_order: 0.05,
    });
  });

  it('saves keys sent from the window; no reply carries them back', async () => {
    const saved = await call('saveExchangeKeys', { body: { apiKey: API_KEY, secret: SECRET } });
    expect(saved).toMatchObject({ ok: true, data: { keys: { stored: true, key_last4: 'AbCd' } } });
    const replies = JSON.stringify([
      saved,
      await call('getExchangeKeys'),
      await call('getLogs', { query: { level: 'debug', limit: '1000' } }),
      await call('getAudit'),
    ]);
    expect(replies).not.toContain(API_KEY);
    expect(replies).not.toContain(SECRET);
  });

  it('rotates the control token without holding one: HTTP then needs the new token', async () => {
    const old = desk.token();
    const r = await call('rotateToken', { body: {} });
    expect(r.ok).toBe(true);
    const fresh = r.ok ? r.data.token : '';
    expect(desk.token()).toBe(fresh);
    expect((await desk.call('GET', '/bot/status', undefined, old)).status).toBe(401);
    expect((await desk.call('GET', '/bot/status', undefined, fresh)).status).toBe(200);
  });
});
