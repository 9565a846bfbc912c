import type { Stats, Trade } from '../../../src-shared/contract';

/**
 * The figures that derive from the trade list change on the trade event itself, so the stats panel and the trade
 * history (patched by the same event, in the same render) never show two counts or two realised P&Ls. Snapshots from
 * GET /bot/stats bring the other figures (drawdown, today's P&L); their trade figures are taken only when they cover
 * exactly the trades the stream has shown, since an HTTP answer can overtake the stream's trade event.
 */
type TradeFigures = Pick<Stats, 'trades_count' | 'wins' | 'losses' | 'gross_profit' | 'gross_loss' | 'realized_pnl' | 'trade_fees' | 'win_rate' | 'profit_factor' | 'last_trade_id'>;

const newest = (s: Stats) => s.last_trade_id ?? 0;

/** `stats` with one more closed trade (a trade it already includes changes nothing) */
export function foldTrade(stats: Stats, t: Trade): Stats {
  if (t.id <= newest(stats)) return stats;
  const win = t.pnl > 0;
  const trades = stats.trades_count + 1;
  const wins = stats.wins + (win ? 1 : 0);
  const grossProfit = stats.gross_profit + (win ? t.pnl : 0);
  const grossLoss = stats.gross_loss - (win ? 0 : t.pnl);
  return {
    ...stats,
    trades_count: trades,
    wins,
    losses: stats.losses + (win ? 0 : 1),
    gross_profit: grossProfit,
    gross_loss: grossLoss,
    realized_pnl: stats.realized_pnl + t.pnl,
    trade_fees: stats.trade_fees + t.fee,
    win_rate: wins / trades,
    profit_factor: grossLoss > 0 ? grossProfit / grossLoss : null,
    last_trade_id: t.id,
  };
}

const tradeFigures = (s: Stats): TradeFigures => ({
  trades_count: s.trades_count, wins: s.wins, losses: s.losses, gross_profit: s.gross_profit, gross_loss: s.gross_loss,
  realized_pnl: s.realized_pnl, trade_fees: s.trade_fees, win_rate: s.win_rate, profit_factor: s.profit_factor, last_trade_id: s.last_trade_id,
});

/**
 * A fresh snapshot merged with what the stream has shown: behind the stream, the trade events it lacks are folded
 * onto it; ahead of the stream, its trade figures wait for the events (the shown ones are kept).
 */
export function mergeSnapshot(shown: Stats | null, snapshot: Stats, streamed: readonly Trade[]): Stats {
  if (!shown) return streamed.reduce(foldTrade, snapshot);
  if (newest(snapshot) > newest(shown)) return { ...snapshot, ...tradeFigures(shown) };
  return streamed.filter((t) => t.id > newest(snapshot)).reduce(foldTrade, snapshot);
}
