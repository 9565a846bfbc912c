import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import type { BotEvent, Order } from '../../src-shared/contract';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import type { OperationName } from '../../src-shared/contract';
import { expectStatsMatchTrades } from '../helpers/money';
import { waitFor } from '../helpers/wait';

const runtimes: BotRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
});

async function start(dir = mkdtempSync(join(tmpdir(), 'botdesk-rt-')), seed = 3) {
  const rt = await createBotRuntime({ dataDir: dir, market: { kind: 'synthetic', seed }, replaySpeed: 'max' });
  runtimes.push(rt);
  const events: BotEvent[] = [];
  rt.events.subscribe((e) => events.push(e));
  const op = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(rt.handlers, name, raw, { actor: 'test' });
  return { rt, dir, events, op };
}
const orders = (rt: BotRuntime): Order[] => rt.store.listOrders('all', 100000) as Order[];
/** the loop went on for `n` more candles: what did not happen meanwhile was not merely not reached yet */
const candlesPass = (rt: BotRuntime, n: number) => {
  const from = rt.bot.core.lastTs;
  return waitFor(() => rt.bot.core.lastTs >= from + n * rt.bot.timeframeMs, `${n} more candles`);
};
const fastExits = { stop_loss_pct: 0.3, take_profit_pct: 0.4 };

describe('bot runtime (real SQLite, real loop)', () => {
  it('trades on its own, and stats agree with the trade list', async () => {
    const { op } = await start();
    await op('updateConfig', { body: fastExits });
    await waitFor(async () => (await op('getStats')).trades_count >= 5, '5 trades');
    await op('stopBot');
    const stats = await op('getStats');
    const trades = (await op('getTrades', { query: { limit: '1000' } })).trades;
    expectStatsMatchTrades(stats, trades);
  });

  it('takes a config snapshot per cycle: orders after an update carry the new version', async () => {
    const { rt, op } = await start();
    await op('updateConfig', { body: fastExits });
    await waitFor(() => orders(rt).some((o) => o.purpose === 'entry'), 'a first entry');
    const res = await op('updateConfig', { body: { position_size_pct: 11 } });
    const newVersion = res.version;
    const before = new Set(orders(rt).map((o) => o.id));
    await waitFor(() => orders(rt).some((o) => !before.has(o.id) && o.purpose === 'entry'), 'an entry after the update');
    const status = await op('getStatus');
    expect(status.applied_config_version).toBe(newVersion);
    for (const o of orders(rt).filter((x) => !before.has(x.id) && x.purpose === 'entry')) expect(o.config_version).toBe(newVersion);
  });

  it('pause: no new entries, but open positions are still closed by their SL/TP', async () => {
    const { rt, op } = await start();
    await op('updateConfig', { body: { ...fastExits, take_profit_pct: 5, stop_loss_pct: 0.5 } });
    await waitFor(() => rt.bot.executor.openPositionCount > 0, 'an open position');
    await op('pauseBot');
    const entriesAtPause = orders(rt).filter((o) => o.purpose === 'entry').length;
    await waitFor(() => rt.bot.executor.openPositionCount === 0, 'SL/TP to close the positions while paused');
    const lastTrades = (await op('getTrades', { query: { limit: '5' } })).trades;
    expect(['stop_loss', 'take_profit']).toContain(lastTrades[0].exit_reason);
    await candlesPass(rt, 200);
    expect(orders(rt).filter((o) => o.purpose === 'entry').length).toBe(entriesAtPause);
    expect((await op('getStatus')).state).toBe('paused');
  });

  it('enabled:false stops entries and survives a restart', async () => {
    const { rt, op, dir } = await start();
    await op('updateConfig', { body: { ...fastExits, enabled: false } });
    const count = orders(rt).filter((o) => o.purpose === 'entry').length;
    await candlesPass(rt, 200);
    expect(orders(rt).filter((o) => o.purpose === 'entry').length).toBe(count);
    await rt.close();
    const again = await start(dir);
    expect((await again.op('getConfig')).enabled).toBe(false);
  });

  it('the daily loss limit pauses the bot by itself and says why', async () => {
    const { op, events } = await start(undefined, 11);
    await op('updateConfig', { body: { max_daily_loss_pct: 0.2, position_size_pct: 30, stop_loss_pct: 1, take_profit_pct: 5 } });
    const status = await waitFor(
      async () => {
        const s = await op('getStatus');
        return s.state === 'paused' ? s : null;
      },
      'the kill switch',
      30_000,
    );
    expect(status.paused_reason).toMatch(/daily loss limit/);
    expect(events.some((e) => e.type === 'error' && e.data.code === 'daily_loss_limit')).toBe(true);
  });

  it('lifecycle transitions are idempotent, and nonsense ones are refused with 409', async () => {
    const { op } = await start();
    expect((await op('stopBot')).changed).toBe(true);
    expect((await op('stopBot')).changed).toBe(false);
    await expect(op('pauseBot')).rejects.toMatchObject({ status: 409 });
    expect((await op('startBot')).status.state).toBe('running');
    expect((await op('pauseBot')).status.state).toBe('paused');
    expect((await op('resumeBot')).status.state).toBe('running');
  });

  it('a pause survives a restart with its reason and the moment it began', async () => {
    const first = await start();
    first.rt.bot.pause('checking the feed by hand');
    const before = await first.op('getStatus');
    expect(before).toMatchObject({ state: 'paused', paused_reason: 'checking the feed by hand' });
    expect(before.paused_at).toEqual(expect.any(Number));
    await first.rt.close();
    runtimes.splice(runtimes.indexOf(first.rt), 1);
    await new Promise((r) => setTimeout(r, 20)); // a restart's clock has moved on
    const again = await start(first.dir);
    const after = await again.op('getStatus');
    expect(after).toMatchObject({ state: 'paused', paused_reason: 'checking the feed by hand', paused_at: before.paused_at });
    expect((await again.op('resumeBot')).status).toMatchObject({ state: 'running', paused_reason: null, paused_at: null });
  });

  it('close-all pauses first, then flattens', async () => {
    const { rt, op } = await start();
    await op('updateConfig', { body: { stop_loss_pct: 5, take_profit_pct: 50, position_size_pct: 20, max_positions: 5 } });
    await waitFor(() => rt.bot.executor.openPositionCount > 0, 'an open position');
    const r = await op('closeAll');
    expect(r.closed.length).toBeGreaterThan(0);
    expect(r.closed.every((t) => t.exit_reason === 'close_all')).toBe(true);
    expect(r.status.state).toBe('paused');
    expect(r.status.open_positions).toBe(0);
    const audit = await op('getAudit', { query: { limit: '10' } });
    expect(audit.records[0]).toMatchObject({ action: 'close_all', actor: 'test' });
  });
});
