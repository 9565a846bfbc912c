import type { Position, Stats, Trade } from '../../src-shared/contract';

/**
 * Stats from the trade list itself, so anyone can recompute them from `/bot/trades` or a backtest's JSON:
 * realised = Σ pnl (pnl = (exit − entry) × amount − fees); equity = start + realised + unrealised.
 */
export function computeStats(p: {
  trades: readonly Trade[];
  startEquity: number;
  openPositions: readonly Position[];
  maxDrawdownPct: number;
  /** equity at the start of today (market time), for today's P&L */
  todayStart: number;
  nowTs: number;
}): Stats {
  let realized = 0;
  let fees = 0;
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let lastTradeId: number | null = null;
  let best: number | null = null;
  let worst: number | null = null;
  for (const t of p.trades) {
    if (lastTradeId === null || t.id > lastTradeId) lastTradeId = t.id;
    if (best === null || t.pnl > best) best = t.pnl;
    if (worst === null || t.pnl < worst) worst = t.pnl;
    realized += t.pnl;
    fees += t.fee;
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else {
      losses++;
      grossLoss -= t.pnl;
    }
  }
  const tradeFees = fees;
  let unrealized = 0;
  for (const pos of p.openPositions) {
    unrealized += pos.unrealized_pnl;
    fees += pos.entry_fee;
  }
  const equity = p.startEquity + realized + unrealized;
  const count = p.trades.length;
  return {
    start_equity: p.startEquity,
    equity,
    realized_pnl: realized,
    unrealized_pnl: unrealized,
    fees_paid: fees,
    trade_fees: tradeFees,
    trades_count: count,
    wins,
    losses,
    gross_profit: grossProfit,
    gross_loss: grossLoss,
    last_trade_id: lastTradeId,
    best_trade_pnl: best,
    worst_trade_pnl: worst,
    win_rate: count ? wins / count : 0,
    profit_factor: grossLoss > 0 ? grossProfit / grossLoss : null,
    max_drawdown_pct: p.maxDrawdownPct,
    open_positions: p.openPositions.length,
    today_pnl: equity - p.todayStart,
  };
}
