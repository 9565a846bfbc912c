import type { Status } from './contract';

export type TradingModeKind = 'paper' | 'paper-live-data' | 'testnet' | 'live';

/**
 * The way the bot trades, in the words every surface uses (dashboard header and badge, tray): a person must never
 * mistake real money for a simulation, or a testnet for either.
 */
export function tradingMode(s: Pick<Status, 'mode' | 'market' | 'sandbox' | 'exchange'>): {
  kind: TradingModeKind;
  label: string;
  detail: string;
} {
  if (s.mode === 'live' && s.sandbox) return { kind: 'testnet', label: 'TESTNET', detail: `${s.exchange} testnet orders, no real money` };
  if (s.mode === 'live') return { kind: 'live', label: 'LIVE · REAL MONEY', detail: `real orders on ${s.exchange}` };
  if (s.market === 'live')
    return { kind: 'paper-live-data', label: 'PAPER · LIVE DATA', detail: `simulated fills on live ${s.exchange} prices` };
  return { kind: 'paper', label: 'PAPER', detail: `simulated fills on ${s.market} candles` };
}
