import type { Stats, Trade } from './contract';

/**
 * What the trade list adds up to, kept as each trade closes — by the store (in the trade's own transaction) and by the
 * dashboard (on the trade event). One rule for both, so the panel can never count a trade differently from the API.
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
  trades: 0,
  wins: 0,
  losses: 0,
  realized: 0,
  fees: 0,
  gross_profit: 0,
  gross_loss: 0,
  best: null,
  worst: null,
  last_trade_id: null,
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

export type TradeFigures = Pick<
  Stats,
  | 'trades_count'
  | 'wins'
  | 'losses'
  | 'gross_profit'
  | 'gross_loss'
  | 'realized_pnl'
  | 'trade_fees'
  | 'best_trade_pnl'
  | 'worst_trade_pnl'
  | 'win_rate'
  | 'profit_factor'
  | 'last_trade_id'
>;

/** the stats fields that come from the trade list alone */
export function tradeFigures(t: TradeTotals): TradeFigures {
  return {
    trades_count: t.trades,
    wins: t.wins,
    losses: t.losses,
    gross_profit: t.gross_profit,
    gross_loss: t.gross_loss,
    realized_pnl: t.realized,
    trade_fees: t.fees,
    best_trade_pnl: t.best,
    worst_trade_pnl: t.worst,
    last_trade_id: t.last_trade_id,
    win_rate: t.trades ? t.wins / t.trades : 0,
    profit_factor: t.gross_loss > 0 ? t.gross_profit / t.gross_loss : null,
  };
}

/** the totals a stats answer carries */
export function totalsOfStats(s: Stats): TradeTotals {
  return {
    trades: s.trades_count,
    wins: s.wins,
    losses: s.losses,
    realized: s.realized_pnl,
    fees: s.trade_fees,
    gross_profit: s.gross_profit,
    gross_loss: s.gross_loss,
    best: s.best_trade_pnl,
    worst: s.worst_trade_pnl,
    last_trade_id: s.last_trade_id,
  };
}
