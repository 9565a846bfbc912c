import type { Position, Stats, Trade } from '../../src-shared/contract';

/**
 * Stats from the trade list itself, so anyone can recompute them from `/bot/trades` or a backtest's JSON:
 * realised = Σ pnl (pnl = (exit − entry) × amount − fees); equity = start + realised + unrealised + net cash flow.
 */
export function computeStats(p: {
  trades: readonly Trade[];
  startEquity: number;
  openPositions: readonly Position[];
  maxDrawdownPct: number;
  /** equity at the start of today (market time), for today's P&L */
  todayStart: number;
  nowTs: number;
  /** the quote of the traded market: every figure is in it */
  stakeCurrency: string;
  /** money that moved without the bot (never P&L) and the value change of coins held outside positions */
  netCashFlow?: number;
  holdingsPnl?: number;
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
  const holdingsPnl = p.holdingsPnl ?? 0;
  const netCashFlow = p.netCashFlow ?? 0;
  let unrealized = holdingsPnl;
  for (const pos of p.openPositions) {
    unrealized += pos.unrealized_pnl;
    fees += pos.entry_fee;
  }
  const equity = p.startEquity + realized + unrealized + netCashFlow;
  const count = p.trades.length;
  return {
    stake_currency: p.stakeCurrency,
    start_equity: p.startEquity,
    equity,
    realized_pnl: realized,
    unrealized_pnl: unrealized,
    holdings_pnl: holdingsPnl,
    net_cash_flow: netCashFlow,
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
    open_positions: p.openPositions.filter((x) => !x.dust).length,
    today_pnl: equity - p.todayStart,
  };
}
