import type { Position, Stats, Trade } from '../../src-shared/contract';
import { computeStats } from './stats';

/**
 * What the trade list adds up to, kept as each trade closes: the store folds a trade in and writes the result in the
 * trade's own transaction, so the figures are never out of step with the list and /bot/stats reads them in O(1).
 */
export interface TradeTotals {
  trades: number;
  wins: number;
  losses: number;
  realized: number;
  /** fees of closed trades (open positions' entry fees are added when stats are read) */
  fees: number;
  gross_profit: number;
  gross_loss: number;
  best: number | null;
  worst: number | null;
  last_trade_id: number | null;
}

export const NO_TRADES: TradeTotals = Object.freeze({
  trades: 0, wins: 0, losses: 0, realized: 0, fees: 0, gross_profit: 0, gross_loss: 0, best: null, worst: null, last_trade_id: null,
});

/** The totals with one more closed trade. Trades close in id order, so the sums add up in the same order as
 * computeStats adds them over the list: the two agree to the last bit, not just to a tolerance. */
export function addTrade(t: TradeTotals, trade: Trade): TradeTotals {
  const win = trade.pnl > 0;
  return {
    trades: t.trades + 1,
    wins: t.wins + (win ? 1 : 0),
    losses: t.losses + (win ? 0 : 1),
    realized: t.realized + trade.pnl,
    fees: t.fees + trade.fee,
    gross_profit: win ? t.gross_profit + trade.pnl : t.gross_profit,
    gross_loss: win ? t.gross_loss : t.gross_loss - trade.pnl,
    best: t.best === null || trade.pnl > t.best ? trade.pnl : t.best,
    worst: t.worst === null || trade.pnl < t.worst ? trade.pnl : t.worst,
    last_trade_id: t.last_trade_id === null || trade.id > t.last_trade_id ? trade.id : t.last_trade_id,
  };
}

/**
 * Equity figures the trading core keeps per candle, persisted with the equity curve so a restart resumes them:
 * the running peak, the largest fall from it, and the UTC day (market time) with its starting equity.
 */
export interface EquityMarks {
  peak: number;
  max_drawdown_pct: number;
  day: number;
  day_start: number;
}

/** /bot/stats from the kept figures: O(open positions), whatever the history. Same formulas as computeStats. */
export function statsFromTotals(p: {
  totals: TradeTotals;
  startEquity: number;
  openPositions: readonly Position[];
  maxDrawdownPct: number;
  todayStart: number;
}): Stats {
  const t = p.totals;
  let fees = t.fees;
  let unrealized = 0;
  for (const pos of p.openPositions) {
    unrealized += pos.unrealized_pnl;
    fees += pos.entry_fee;
  }
  const equity = p.startEquity + t.realized + unrealized;
  return {
    start_equity: p.startEquity,
    equity,
    realized_pnl: t.realized,
    unrealized_pnl: unrealized,
    fees_paid: fees,
    trade_fees: t.fees,
    trades_count: t.trades,
    wins: t.wins,
    losses: t.losses,
    gross_profit: t.gross_profit,
    gross_loss: t.gross_loss,
    last_trade_id: t.last_trade_id,
    best_trade_pnl: t.best,
    worst_trade_pnl: t.worst,
    win_rate: t.trades ? t.wins / t.trades : 0,
    profit_factor: t.gross_loss > 0 ? t.gross_profit / t.gross_loss : null,
    max_drawdown_pct: p.maxDrawdownPct,
    open_positions: p.openPositions.length,
    today_pnl: equity - p.todayStart,
  };
}

/** The totals computeStats (the oracle) finds in a trade list. */
export function totalsOf(trades: readonly Trade[]): TradeTotals {
  const s = computeStats({ trades, startEquity: 0, openPositions: [], maxDrawdownPct: 0, todayStart: 0, nowTs: 0 });
  return {
    trades: s.trades_count, wins: s.wins, losses: s.losses, realized: s.realized_pnl, fees: s.fees_paid,
    gross_profit: s.gross_profit, gross_loss: s.gross_loss, best: s.best_trade_pnl, worst: s.worst_trade_pnl, last_trade_id: s.last_trade_id,
  };
}

const near = (a: number | null, b: number | null, rel: number) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

/** Fields where the kept totals differ from the oracle's (money to `rel` relative, counts and ids exactly). */
export function totalsMismatch(kept: TradeTotals, oracle: TradeTotals, rel = 1e-9): string[] {
  const out: string[] = [];
  for (const k of Object.keys(oracle) as (keyof TradeTotals)[]) {
    const exact = k === 'trades' || k === 'wins' || k === 'losses' || k === 'last_trade_id';
    if (exact ? kept[k] !== oracle[k] : !near(kept[k], oracle[k], rel)) out.push(k);
  }
  return out;
}
