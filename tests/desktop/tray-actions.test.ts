// Clicking the tray's menu, under Node: bot actions through the real operations, close-all only after a yes,
// the token to the clipboard and nowhere else, and the once-only "still running in the tray" hint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import { loadOrCreateControlToken } from '../../src-main/server/token-store';
import { createLogger } from '../../src-main/engine/log/logger';
import { createTrayActions, type TrayActionItem } from '../../src-main/desktop/tray-actions';
import { readTrayFacts } from '../../src-main/desktop/tray-presenter';
import { trayView, type TrayActionId, type TrayConfirmation } from '../../src-main/desktop/tray-model';
import { firstTrayHint } from '../../src-main/desktop/tray-hint';
import { waitFor } from '../helpers/wait';
import { HELD_POSITIONS } from '../helpers/held-positions';

describe('tray actions', () => {
  let dataDir: string;
  let runtime: BotRuntime;
  let token: string;
  const asked: TrayConfirmation[] = [];
  const errors: string[] = [];
  const copied: string[] = [];
  let answer = false;
  let done = 0;
  let opened = 0;
  let quits = 0;
  let click: (item: TrayActionItem) => Promise<void>;

  /** the item as the tray shows it right now */
  const menuItem = async (id: TrayActionId): Promise<TrayActionItem> => {
    const item = trayView(await readTrayFacts(runtime.handlers)).menu.find((i) => i.kind === 'action' && i.id === id);
    if (!item || item.kind !== 'action') throw new Error(`no ${id} in the menu`);
    return item;
  };
  const call = <N extends 'getStatus' | 'getPositions' | 'getAudit'>(name: N, raw: RawInput = {}) =>
    invokeOperation(runtime.handlers, name, raw, { actor: 'test' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-tray-actions-'));
    token = loadOrCreateControlToken({ dataDir });
    const logger = createLogger({ level: 'debug' });
    logger.addSecret(token);
    runtime = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 11 }, replaySpeed: 50, logger });
    await invokeOperation(runtime.handlers, 'updateConfig', { body: { enabled: false, ...HELD_POSITIONS } }, { actor: 'test' });
    click = createTrayActions({
      handlers: runtime.handlers,
      confirm: async (c) => {
        asked.push(c);
        return answer;
      },
      openDashboard: () => void opened++,
      readToken: () => loadOrCreateControlToken({ dataDir }),
      copyText: (t) => void copied.push(t),
      quit: () => void quits++,
      onError: (m) => void errors.push(m),
      onDone: () => void done++,
    });
  });
  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("Stop, Start, Pause and Resume reach the bot, in the tray's name", async () => {
    await click(await menuItem('stop'));
    expect((await call('getStatus')).state).toBe('stopped');
    expect((await menuItem('pause')).enabled).toBe(false);
    await click(await menuItem('pause')); // disabled: nothing happens
    expect(errors).toEqual([]);
    await click(await menuItem('start'));
    await click(await menuItem('pause'));
    expect((await call('getStatus')).state).toBe('paused');
    await click(await menuItem('resume'));
    expect((await call('getStatus')).state).toBe('running');
    expect(done).toBe(4);
    const audit = (await call('getAudit', { query: { limit: '10' } })).records.filter((r) => r.actor === 'tray').map((r) => r.action);
    expect(audit.reverse()).toEqual(['stop', 'start', 'pause', 'resume']);
  });

  it('a click from a menu the bot has moved past gets the refusal as one sentence', async () => {
    const pause = await menuItem('pause');
    await click(await menuItem('stop'));
    await click(pause);
    expect(errors).toEqual(['Pause entries failed: The bot is stopped; start it before pausing.']);
    errors.length = 0;
    await click(await menuItem('start'));
  });

  it('Close all asks first: no closes nothing, yes closes every position at market', async () => {
    await waitFor(async () => (await call('getStatus')).last_price !== null, 'a market price');
    await invokeOperation(runtime.handlers, 'openPosition', { body: { size_pct: 5 } }, { actor: 'test' });
    await invokeOperation(runtime.handlers, 'openPosition', { body: { size_pct: 5 } }, { actor: 'test' });
    const closeAll = await menuItem('close_all');
    expect(closeAll.enabled).toBe(true);
    answer = false;
    await click(closeAll);
    expect(asked.map((c) => c.message)).toEqual(['Close 2 positions at market?']);
    expect(await call('getPositions')).toHaveLength(2);
    answer = true;
    await click(closeAll);
    expect(await call('getPositions')).toEqual([]);
    const status = await call('getStatus');
    expect(status).toMatchObject({ state: 'paused', paused_reason: 'close-all by tray' });
    expect(trayView(await readTrayFacts(runtime.handlers)).icon).toBe('paused'); // a person's close-all is not an alert
  });

  it('copies the current control token to the clipboard and writes it nowhere else; Open dashboard and Quit go to the shell', async () => {
    await click(await menuItem('copy_token'));
    expect(copied).toEqual([token]);
    const logged = runtime.logger
      .tail('debug', 2000)
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(logged).not.toContain(token);
    await click(await menuItem('open_dashboard'));
    await click(await menuItem('quit'));
    expect([opened, quits]).toEqual([1, 1]);
  });
});

describe('the "still running in the tray" hint', () => {
  it('is given once per data directory, across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-hint-'));
    try {
      expect(firstTrayHint(dir)).toBe(true);
      expect(firstTrayHint(dir)).toBe(false);
      expect(existsSync(join(dir, 'tray-hint-shown'))).toBe(true);
      expect(firstTrayHint(join(dir, 'tray-hint-shown', 'not-a-dir'))).toBe(false); // unwritable: silent
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
