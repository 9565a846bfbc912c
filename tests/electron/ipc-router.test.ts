// The desktop IPC adapter against the real runtime. Electron's binary cannot run here, so ipcMain is stood in for
// by a minimal channel table with the same contract (handle/invoke); everything behind it is real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPC_CHANNELS, type BotEvent, type BridgeResult, type OperationName } from '../../src-shared/contract';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { registerIpcRouter, type IpcInvokeEvent, type IpcSender } from '../../src-main/ipc/ipc-router';
import { waitFor } from '../helpers/wait';

const APP_URL = 'file:///app/out/renderer/index.html';

class Channels {
  readonly handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, fn: (event: IpcInvokeEvent, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  async invoke(event: IpcInvokeEvent, channel: string, ...args: unknown[]): Promise<any> {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    // Electron serialises arguments and results with the structured clone algorithm
    return structuredClone(await fn(event, ...structuredClone(args)));
  }
}

class FakeWebContents implements IpcSender {
  static next = 1;
  readonly id = FakeWebContents.next++;
  readonly received: { key: string; event: BotEvent }[] = [];
  private destroyed = false;
  private onDestroyed: (() => void)[] = [];
  send(channel: string, payload: unknown) {
    if (channel !== IPC_CHANNELS.event) throw new Error(`unexpected channel ${channel}`);
    const { key, json } = structuredClone(payload) as { key: string; json: string };
    this.received.push({ key, event: JSON.parse(json) as BotEvent });
  }
  isDestroyed() {
    return this.destroyed;
  }
  once(_event: 'destroyed', listener: () => void) {
    this.onDestroyed.push(listener);
  }
  destroy() {
    this.destroyed = true;
    for (const l of this.onDestroyed) l();
  }
}

describe('IPC router (the preload bridge main side)', () => {
  let runtime: BotRuntime;
  let ipc: Channels;
  let dispose: () => void;
  const page = new FakeWebContents();
  const fromPage = (sender: FakeWebContents = page): IpcInvokeEvent => ({ sender, senderFrame: { url: APP_URL, parent: null } });
  const call = <N extends OperationName>(name: N, input?: unknown, event = fromPage()): Promise<BridgeResult<N>> =>
    ipc.invoke(event, IPC_CHANNELS.call, name, input);

  beforeAll(async () => {
    runtime = await createBotRuntime({
      dataDir: mkdtempSync(join(tmpdir(), 'botdesk-ipc-')),
      market: { kind: 'synthetic', seed: 5 },
      replaySpeed: 200,
    });
    ipc = new Channels();
    dispose = registerIpcRouter({
      ipc,
      handlers: runtime.handlers,
      events: runtime.events,
      fleetEvents: runtime.fleet.events,
      isTrustedSender: (e) => e.senderFrame?.parent === null && e.senderFrame.url === APP_URL,
    });
  });
  afterAll(async () => {
    dispose();
    await runtime.close();
  });

  it('answers an operation with the same shape as HTTP', async () => {
    const r = await call('getStatus');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data).toMatchObject({ mode: 'paper', symbol: 'XRP/USDT' });
  });

  it('validates input with the shared schemas: a bad config patch is a 400 with fields, nothing applied', async () => {
    const before = await call('getConfig');
    const r = await call('updateConfig', { body: { position_size_pct: 500, colour: 'red' } });
    expect(r).toMatchObject({ ok: false, status: 400, body: { success: false } });
    if (!r.ok) expect(Object.keys(r.body.fields ?? {}).sort()).toEqual(['colour', 'position_size_pct']);
    expect(await call('getConfig')).toEqual(before);
    const ok = await call('updateConfig', { body: { take_profit_pct: 2 } });
    expect(ok.ok).toBe(true);
    const audit = await call('getAudit', { query: { limit: '5' } });
    if (audit.ok) expect(audit.data.records[0]).toMatchObject({ action: 'update_config', actor: 'ipc' });
  });

  it('maps state conflicts to 409 like HTTP', async () => {
    await call('stopBot');
    expect(await call('pauseBot')).toMatchObject({ ok: false, status: 409 });
    expect(await call('startBot')).toMatchObject({ ok: true });
  });

  it('refuses subframes, other pages, unknown operations and malformed input', async () => {
    expect(await call('getStatus', undefined, { sender: page, senderFrame: { url: APP_URL, parent: {} } })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await call('getStatus', undefined, { sender: page, senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject(
      { ok: false, status: 403 },
    );
    expect(await call('rm -rf' as OperationName)).toMatchObject({ ok: false, status: 404 });
    expect(await call('__proto__' as OperationName)).toMatchObject({ ok: false, status: 404 });
    expect(await call('getStatus', 'not an object')).toMatchObject({ ok: false, status: 400 });
    expect(await call('getStatus', { headers: {} } as never)).toMatchObject({ ok: false, status: 400 });
    expect(await call('updateConfig', { body: { take_profit_pct: 3 }, if_match: 7 } as never)).toMatchObject({ ok: false, status: 400 });
  });

  it('sends ServiceError bodies as HTTP does, and a bug as a bare 500 without its message or stack', async () => {
    const cfg = await call('getConfig');
    if (!cfg.ok) throw new Error('getConfig failed');
    const stale = await call('updateConfig', { body: { take_profit_pct: 3 }, if_match: String(cfg.data.version - 1) });
    expect(stale).toMatchObject({ ok: false, status: 409, body: { success: false } });

    const side = new Channels();
    const errors: string[] = [];
    const stop = registerIpcRouter({
      ipc: side,
      events: runtime.events,
      isTrustedSender: () => true,
      onError: (m) => errors.push(m),
      handlers: {
        ...runtime.handlers,
        getStatus: () => {
          throw new Error('boom at /home/secret/db.ts:42');
        },
      },
    });
    try {
      const r = await side.invoke(fromPage(), IPC_CHANNELS.call, 'getStatus');
      expect(r).toMatchObject({ ok: false, status: 500, body: { success: false } });
      expect(JSON.stringify(r)).not.toMatch(/boom|secret|\.ts:/);
      expect(errors).toHaveLength(1);
    } finally {
      stop();
    }
    expect(side.handlers.size).toBe(0);
  });

  it('streams events by subscription key, replays after since, filters by type, stops on unsubscribe and on destroy', async () => {
    const tab = new FakeWebContents();
    const lastSeq = runtime.events.lastSeq;
    const sub = await ipc.invoke(fromPage(tab), IPC_CHANNELS.subscribe, { key: 's1', since: Math.max(0, lastSeq - 5) });
    expect(sub).toMatchObject({ ok: true });
    await ipc.invoke(fromPage(tab), IPC_CHANNELS.subscribe, { key: 's2', types: ['status_change'] });
    await waitFor(() => tab.received.filter((r) => r.key === 's1').length > 20, 'live events');
    const s1 = tab.received.filter((r) => r.key === 's1').map((r) => r.event);
    expect(s1[0].seq).toBe(Math.max(0, lastSeq - 5) + 1);
    for (let i = 1; i < s1.length; i++) expect(s1[i].seq).toBe(s1[i - 1].seq + 1);
    await waitFor(() => tab.received.some((r) => r.key === 's2'), 'a status_change on s2', 5000);
    expect(tab.received.filter((r) => r.key === 's2').every((r) => r.event.type === 'status_change')).toBe(true);

    expect(await ipc.invoke(fromPage(tab), IPC_CHANNELS.unsubscribe, 's1')).toEqual({ ok: true });
    const after = tab.received.filter((r) => r.key === 's1').length;
    // more events published (s2 still hears its share): none reaches s1
    const unsubscribedAt = runtime.events.lastSeq;
    await waitFor(() => runtime.events.lastSeq >= unsubscribedAt + 5, 'events after the unsubscribe');
    expect(tab.received.filter((r) => r.key === 's1').length).toBe(after);

    tab.destroy();
    const total = tab.received.length;
    const destroyedAt = runtime.events.lastSeq;
    await waitFor(() => runtime.events.lastSeq >= destroyedAt + 5, 'events after the page went away');
    expect(tab.received.length).toBe(total);
    expect(await ipc.invoke(fromPage(tab), IPC_CHANNELS.subscribe, { key: 'bad key!' })).toMatchObject({ ok: false, status: 400 });
    expect(
      await ipc.invoke({ sender: tab, senderFrame: { url: 'https://evil.example/', parent: null } }, IPC_CHANNELS.subscribe, { key: 's3' }),
    ).toMatchObject({ ok: false, status: 403 });
  });

  it('streams the fleet manager\'s events on a `feed: "fleet"` subscription, apart from the bot\'s own', async () => {
    const tab = new FakeWebContents();
    expect(await ipc.invoke(fromPage(tab), IPC_CHANNELS.subscribe, { key: 'f1', feed: 'fleet' })).toMatchObject({ ok: true });
    expect(await ipc.invoke(fromPage(tab), IPC_CHANNELS.subscribe, { key: 'f2', feed: 'elsewhere' })).toMatchObject({
      ok: false,
      status: 400,
    });
    await call('renameFleetBot', { params: { id: 'local' }, body: { name: 'Desk' } });
    await waitFor(() => tab.received.some((r) => r.event.type === 'fleet'), 'a fleet event over IPC');
    expect(tab.received.every((r) => r.event.type === 'fleet')).toBe(true);
    const rows = tab.received.flatMap((r) => (r.event.type === 'fleet' && r.event.data.kind === 'row' ? [r.event.data.bot] : []));
    expect(rows.some((b) => b.id === 'local' && b.name === 'Desk')).toBe(true);
    tab.destroy();
  });
});
