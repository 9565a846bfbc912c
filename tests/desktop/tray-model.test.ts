// The tray as data: what it says and what can be clicked in each state, without Electron.
import { describe, expect, it } from 'vitest';
import { TOOLTIP_MAX, trayView, type TrayMenuItem, type TrayView } from '../../src-main/desktop/tray-model';
import { signedQuote } from '../../src-main/desktop/money-text';
import { statusOf } from '../helpers/status-fixture';

const status = statusOf;

const actions = (v: TrayView) => Object.fromEntries(v.menu.flatMap((i: TrayMenuItem) => (i.kind === 'action' ? [[i.id, i.enabled]] : [])));
const labels = (v: TrayView) => v.menu.flatMap((i) => (i.kind === 'separator' ? [] : [i.label]));
const item = (v: TrayView, id: string) =>
  v.menu.find((i) => i.kind === 'action' && i.id === id) as Extract<TrayMenuItem, { kind: 'action' }> | undefined;

describe('tray model', () => {
  it('enables exactly the transitions that make sense in each state', () => {
    const always = { open_dashboard: true, copy_token: true, quit: true, close_all: false };
    expect(actions(trayView({ status: status({ state: 'running' }) }))).toEqual({ ...always, start: false, pause: true, stop: true });
    expect(actions(trayView({ status: status({ state: 'paused', paused_at: 2 }) }))).toEqual({
      ...always,
      start: false,
      resume: true,
      stop: true,
    });
    expect(actions(trayView({ status: status({ state: 'stopped', running: false }) }))).toEqual({
      ...always,
      start: true,
      pause: false,
      stop: false,
    });
  });

  it("puts mode, symbol, state and today's P&L with sign and quote unit in the tooltip", () => {
    expect(trayView({ status: status({ today_pnl: 12.345 }) }).tooltip).toBe('BotDesk · PAPER · XRP/USDT · running · today +12.35 USDT');
    expect(trayView({ status: status({ state: 'stopped', today_pnl: -3.2 }) }).tooltip).toBe(
      'BotDesk · PAPER · XRP/USDT · stopped · today -3.20 USDT',
    );
    const live = trayView({
      status: status({ mode: 'live', market: 'live', exchange: 'binance', symbol: 'ETH/BTC', today_pnl: -0.000123 }),
    });
    expect(live.tooltip).toBe('BotDesk · LIVE · REAL MONEY · ETH/BTC · running · today -0.000123 BTC');
    expect(labels(live)).toContain('Today: -0.000123 BTC');
    const testnet = trayView({ status: status({ mode: 'live', market: 'live', sandbox: true }) });
    expect(testnet.tooltip).toBe('BotDesk · TESTNET · XRP/USDT · running · today 0.00 USDT');
  });

  it('keeps the tooltip within what Windows shows, whatever the symbol', () => {
    const v = trayView({ status: status({ symbol: `${'A'.repeat(150)}/USDT`, attention: ['x'], today_pnl: 1 }) });
    expect(v.tooltip.length).toBe(TOOLTIP_MAX);
    expect(v.tooltip.endsWith('…')).toBe(true);
  });

  it('shows the icon state, and an alert when the bot paused itself or needs a person', () => {
    expect(trayView({ status: status({ today_pnl: 0 }) }).icon).toBe('running');
    expect(trayView({ status: status({ state: 'stopped' }) }).icon).toBe('stopped');
    expect(trayView({ status: status({ state: 'paused' }) }).icon).toBe('paused');
    // close-all pauses in a person's name: not an alert
    expect(trayView({ status: status({ state: 'paused', paused_reason: 'close-all by tray' }) }).icon).toBe('paused');
    const kill = trayView({
      status: status({ state: 'paused', paused_reason: 'Daily loss limit of 3% reached; new entries paused.', today_pnl: -300 }),
    });
    expect(kill.icon).toBe('alert');
    expect(kill.tooltip).toContain('paused by itself');
    expect(labels(kill)).toContain('Paused by itself: Daily loss limit of 3% reached; new entries paused.');
    const found = trayView({ status: status({ attention: ['an order the bot did not place', 'coins no position explains'] }) });
    expect(found.icon).toBe('alert');
    expect(labels(found)).toContain('Needs attention: 2 findings (see the dashboard)');
  });

  it('asks before closing positions, naming how many, and only offers it when there are some', () => {
    const one = item(trayView({ status: status({ open_positions: 1 }) }), 'close_all');
    expect(one).toMatchObject({
      enabled: true,
      label: 'Close all positions (1)…',
      confirm: { message: 'Close 1 position at market?', button: 'Close at market' },
    });
    const three = item(trayView({ status: status({ open_positions: 3, state: 'stopped' }) }), 'close_all');
    expect(three?.confirm?.message).toBe('Close 3 positions at market?');
    expect(three?.enabled).toBe(true); // positions of a stopped bot can still be flattened
    const live = item(trayView({ status: status({ open_positions: 2, mode: 'live', market: 'live', exchange: 'binance' }) }), 'close_all');
    expect(live?.confirm?.detail).toContain('LIVE · REAL MONEY: real orders on binance.');
    expect(item(trayView({ status: status({ open_positions: 0 }) }), 'close_all')).toMatchObject({ enabled: false });
    expect(item(trayView({ status: status({ open_positions: 0 }) }), 'close_all')?.confirm).toBeUndefined();
    // nothing else asks first
    const v = trayView({ status: status({ open_positions: 2 }) });
    expect(v.menu.filter((i) => i.kind === 'action' && i.confirm).map((i) => i.kind === 'action' && i.id)).toEqual(['close_all']);
  });
});

describe('signed money', () => {
  it('writes a sign, the quote unit and enough decimals to see the amount', () => {
    expect(signedQuote(0, 'USDT')).toBe('0.00 USDT');
    expect(signedQuote(-0.001, 'USDT')).toBe('-0.00100 USDT');
    expect(signedQuote(1234.5, 'USDT')).toBe('+1234.50 USDT');
    expect(signedQuote(0.00001234, 'BTC')).toBe('+0.0000123 BTC');
    expect(signedQuote(Number.NaN, 'BTC')).toBe('— BTC');
  });
});
