// Every surface (dashboard header, status badge, tray) names the way the bot trades with one function.
import { describe, expect, it } from 'vitest';
import { tradingMode } from '../../src-shared/trading-mode';

describe('trading mode label', () => {
  it('tells real money, testnet, paper on live data and paper on recorded data apart', () => {
    const base = { exchange: 'binance', sandbox: false };
    expect(tradingMode({ ...base, mode: 'live', market: 'live' })).toMatchObject({ kind: 'live', label: 'LIVE · REAL MONEY' });
    expect(tradingMode({ ...base, mode: 'live', market: 'live', sandbox: true })).toMatchObject({ kind: 'testnet', label: 'TESTNET' });
    expect(tradingMode({ ...base, mode: 'paper', market: 'live' })).toMatchObject({ kind: 'paper-live-data', label: 'PAPER · LIVE DATA' });
    expect(tradingMode({ ...base, mode: 'paper', market: 'replay' })).toMatchObject({
      kind: 'paper',
      label: 'PAPER',
      detail: 'simulated fills on replay candles',
    });
  });
});
