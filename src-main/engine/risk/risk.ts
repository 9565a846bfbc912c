import type { BotConfig } from '../../../src-shared/contract';
import type { MarketRules } from '../ports/exchange.port';
import { roundToStep } from '../market/precision';

/** Why an entry may not happen now, or null when it may. Checked for every entry intent, strategy or manual. */
export interface EntryGate {
  entriesAllowed: boolean;
  enabled: boolean;
  haltReason: string | null;
  openPositions: number;
  maxPositions: number;
}

export function entryBlocker(s: EntryGate): string | null {
  if (s.haltReason) return s.haltReason;
  if (!s.entriesAllowed) return 'entries are paused';
  if (!s.enabled) return 'config has enabled=false';
  if (s.openPositions >= s.maxPositions) return `max_positions (${s.maxPositions}) reached`;
  return null;
}

/**
 * Entry size: `position_size_pct` of equity at this price, capped by the free cash once slippage and fees are paid,
 * rounded down to the market's amount step. Returns 0 when the result is below the market's minimums — measured at
 * the stop-loss price too, because a position whose protective stop the exchange would refuse must not be opened.
 */
export function entryAmount(p: {
  equity: number;
  freeCash: number;
  price: number;
  positionSizePct: number;
  feePct: number;
  slippagePct: number;
  stopLossPct: number;
  rules: MarketRules;
}): number {
  if (!(p.price > 0)) return 0;
  // the fill price as the exchange will quote it (slipped, then up to the tick), so an entry sized to the cash fills
  const costPerUnit = roundToStep(p.price * (1 + p.slippagePct / 100), p.rules.priceStep, 'up') * (1 + p.feePct / 100);
  const wanted = (p.equity * p.positionSizePct) / 100 / p.price;
  const affordable = p.freeCash / costPerUnit;
  const amount = roundToStep(Math.min(wanted, affordable), p.rules.amountStep, 'down');
  const stopPrice = p.price * (1 - p.stopLossPct / 100);
  if (amount < p.rules.minAmount || amount * stopPrice < p.rules.minNotional) return 0;
  return amount;
}

export type EntrySizing = Parameters<typeof entryAmount>[0];

/** entryAmount's arguments to fill per signal (TradingCore): NaN, not 0, as a field that starts as a small integer
 * changes shape at its first fraction */
export const unsizedEntry = (rules: MarketRules): EntrySizing => {
  const n = NaN;
  return { equity: n, freeCash: n, price: n, positionSizePct: n, feePct: n, slippagePct: n, stopLossPct: n, rules };
};

/**
 * A person's entry (POST /bot/positions), sized now, or the sentence saying why none can be opened. A pause or
 * `enabled: false` stops the strategy's entries, not a person's; max_positions, the kill switch, an empty account and
 * the free balance still do.
 */
export function manualEntrySize(s: {
  haltReason: string | null;
  emptyAccount: string | null;
  openPositions: number;
  config: Pick<BotConfig, 'max_positions' | 'position_size_pct' | 'fee_pct' | 'slippage_pct' | 'stop_loss_pct'>;
  sizePct: number | undefined;
  equity: number;
  freeCash: number;
  price: number;
  rules: MarketRules;
}): { amount: number } | { conflict: string } {
  const { config } = s;
  const why =
    entryBlocker({
      entriesAllowed: true,
      enabled: true,
      haltReason: s.haltReason,
      openPositions: s.openPositions,
      maxPositions: config.max_positions,
    }) ??
    s.emptyAccount ??
    (Number.isFinite(s.price) ? null : 'there is no market price yet');
  if (why) return { conflict: `No position opened: ${why}.` };
  const sizing = {
    equity: s.equity,
    price: s.price,
    positionSizePct: s.sizePct ?? config.position_size_pct,
    feePct: config.fee_pct,
    slippagePct: config.slippage_pct,
    stopLossPct: config.stop_loss_pct,
    rules: s.rules,
  };
  const amount = entryAmount({ ...sizing, freeCash: s.freeCash });
  if (amount > 0) return { amount };
  return entryAmount({ ...sizing, freeCash: Infinity }) > 0
    ? {
        conflict: `No position opened: the free balance (${s.freeCash.toFixed(2)} ${s.rules.quote}) is short of the smallest entry the market accepts.`,
      }
    : {
        conflict: `No position opened: ${sizing.positionSizePct}% of equity is under the market minimum (or its stop-loss order would be).`,
      };
}
