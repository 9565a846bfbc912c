// The tray follows the bot's events, rebuilt at most once a second, and ends on the newest figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Status } from '../../src-shared/contract';
import { EventBus } from '../../src-main/engine/events/event-bus';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { createTrayPresenter, readTrayFacts, type Timers } from '../../src-main/desktop/tray-presenter';
import type { TrayView } from '../../src-main/desktop/tray-model';
import { signedQuote } from '../../src-main/desktop/money-text';
import { waitFor } from '../helpers/wait';
import { statusOf } from '../helpers/status-fixture';

const labelsOf = (v: TrayView | null) => (v?.menu ?? []).flatMap((i) => (i.kind === 'separator' ? [] : [i.label]));

/** a clock and a timer queue the test moves by hand */
class ManualTime implements Timers {
  t = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.t;
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.ids;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(id: unknown) {
    this.queue = this.queue.filter((q) => q.id !== id);
  }
  advance(ms: number) {
    this.t += ms;
    for (const due of this.queue.filter((q) => q.at <= this.t)) {
      this.clearTimeout(due.id);
      due.fn();
    }
  }
  get waiting() {
    return this.queue.length;
  }
}

const settle = () => new Promise((r) => setImmediate(r));

const baseStatus = statusOf();

describe('tray presenter', () => {
  it('draws at once, then at most once per interval however many events come, ending on the newest state', async () => {
    const bus = new EventBus();
    const time = new ManualTime();
    let current: Status = baseStatus;
    let pnl = 0;
    const drawn: TrayView[] = [];
    const presenter = createTrayPresenter({
      events: bus,
      read: () => ({ status: { ...current, today_pnl: pnl } }),
      render: (v) => drawn.push(v),
      now: time.now,
      timers: time,
    });
    await settle();
    expect(drawn).toHaveLength(1);

    // a burst of 50 status changes within 0.5 s: nothing redrawn inside the interval
    for (let i = 1; i <= 50; i++) {
      pnl = i;
      bus.publish('status_change', current);
      time.advance(10);
      await settle();
    }
    expect(drawn).toHaveLength(1);
    current = { ...baseStatus, state: 'paused' };
    bus.publish('status_change', current);
    time.advance(500); // the interval ends: one redraw with what is true now
    await settle();
    expect(drawn).toHaveLength(2);
    expect(drawn[1].tooltip).toBe('BotDesk · PAPER · XRP/USDT · paused · today +50.00 USDT');
    expect(presenter.last).toBe(drawn[1]);

    // events that do not change what the tray shows do not redraw it
    bus.publish('log', { ts: 1, level: 'info', msg: 'hello' });
    bus.publish('signal', { ts: 1, action: 'enter', price: 1, reason: 'x', accepted: true, rejected_because: null });
    time.advance(5000);
    await settle();
    expect(drawn).toHaveLength(2);

    // a quiet spell: the next change is drawn at once
    bus.publish('trade', {
      id: 1,
      position_id: 1,
      symbol: 'XRP/USDT',
      side: 'long',
      amount: 1,
      entry_price: 1,
      exit_price: 2,
      entry_time: 1,
      exit_time: 2,
      fee: 0,
      pnl: 1,
      pnl_pct: 100,
      exit_reason: 'take_profit',
      config_version: 1,
    });
    await settle();
    expect(drawn).toHaveLength(3);

    presenter.dispose();
    bus.publish('status_change', current);
    time.advance(5000);
    await settle();
    expect(drawn).toHaveLength(3);
    expect(time.waiting).toBe(0);
  });

  it('says so and carries on when reading the figures fails', async () => {
    const bus = new EventBus();
    const errors: string[] = [];
    let fail = true;
    const drawn: TrayView[] = [];
    createTrayPresenter({
      events: bus,
      minIntervalMs: 0,
      render: (v) => drawn.push(v),
      onError: (m) => errors.push(m),
      read: () => {
        if (fail) throw new Error('database is locked');
        return { status: baseStatus };
      },
    });
    await settle();
    expect(errors).toEqual(['tray update failed: database is locked']);
    fail = false;
    bus.publish('status_change', baseStatus);
    await settle();
    expect(drawn).toHaveLength(1);
  });

  describe('with the real runtime', () => {
    let dataDir: string;
    let runtime: BotRuntime;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'botdesk-tray-'));
      runtime = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 3 }, replaySpeed: 200 });
    });
    afterAll(async () => {
      await runtime?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("reads today's P&L as GET /bot/stats reports it and follows Start/Stop made elsewhere", async () => {
      const drawn: TrayView[] = [];
      const presenter = createTrayPresenter({
        events: runtime.events,
        read: () => readTrayFacts(runtime.handlers),
        render: (v) => drawn.push(v),
        minIntervalMs: 50,
      });
      await waitFor(() => presenter.last, 'the first draw');
      await runtime.handlers.stopBot({} as never, { actor: 'test' });
      await waitFor(() => presenter.last?.icon === 'stopped', 'the tray to show the bot stopped');
      // stopped, the figures hold still: the tray's P&L is the API's today_pnl
      const stats = await runtime.handlers.getStats({} as never, { actor: 'test' });
      expect((await readTrayFacts(runtime.handlers)).status.today_pnl).toBe(stats.today_pnl);
      expect(labelsOf(presenter.last)).toContain(`Today: ${signedQuote(stats.today_pnl, 'USDT')}`);
      expect(presenter.last?.menu.find((i) => i.kind === 'action' && i.id === 'start')).toMatchObject({ enabled: true });
      await runtime.handlers.startBot({} as never, { actor: 'test' });
      await waitFor(() => presenter.last?.icon === 'running', 'the tray to show the bot running');
      presenter.dispose();
    });
  });
});
