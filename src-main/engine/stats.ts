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
  const count = p.trades.length;
  return {
    ...accountPart({ ...p, realized, tradeFees: fees }),
    realized_pnl: realized,
    trade_fees: fees,
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
  };
}

/** today's P&L of an equity figure: one formula for the status, the stats, and so every panel, the fleet and the tray */
export const todayPnl = (equity: number, todayStart: number): number => equity - todayStart;

/**
 * The figures beyond the trade list, shared by the oracle and the kept stats: open positions (dust not counted as
 * open), the holdings and the cash flows, and the equity they give (start + realised + unrealised + net cash flow).
 */
export function accountPart(p: {
  startEquity: number;
  realized: number;
  tradeFees: number;
  openPositions: readonly Position[];
  maxDrawdownPct: number;
  todayStart: number;
  stakeCurrency: string;
  netCashFlow?: number;
  holdingsPnl?: number;
}): Pick<
  Stats,
  | 'stake_currency'
  | 'start_equity'
  | 'equity'
  | 'unrealized_pnl'
  | 'holdings_pnl'
  | 'net_cash_flow'
  | 'fees_paid'
  | 'max_drawdown_pct'
  | 'open_positions'
  | 'today_pnl'
> {
  const holdingsPnl = p.holdingsPnl ?? 0;
  const netCashFlow = p.netCashFlow ?? 0;
  let unrealized = holdingsPnl;
  let fees = p.tradeFees;
  let open = 0;
  for (const pos of p.openPositions) {
    unrealized += pos.unrealized_pnl;
    fees += pos.entry_fee;
    if (!pos.dust) open++;
  }
  const equity = p.startEquity + p.realized + unrealized + netCashFlow;
  return {
    stake_currency: p.stakeCurrency,
    start_equity: p.startEquity,
    equity,
    unrealized_pnl: unrealized,
    holdings_pnl: holdingsPnl,
    net_cash_flow: netCashFlow,
    fees_paid: fees,
    max_drawdown_pct: p.maxDrawdownPct,
    open_positions: open,
    today_pnl: todayPnl(equity, p.todayStart),
  };
}
