import type { Stats, Trade } from '../../../src-shared/contract';
import { addTrade, totalsOfStats, tradeFigures } from '../../../src-shared/trade-totals';

/**
 * The figures that derive from the trade list change on the trade event itself, so the stats panel and the trade
 * history (patched by the same event, in the same render) never show two counts or two realised P&Ls. Snapshots from
 * GET /bot/stats bring the other figures (drawdown, today's P&L); their trade figures are taken only when they cover
 * exactly the trades the stream has shown, since an HTTP answer can overtake the stream's trade event.
 */
const newest = (s: Stats) => s.last_trade_id ?? 0;

/** `stats` with one more closed trade (a trade it already includes changes nothing) */
export function foldTrade(stats: Stats, t: Trade): Stats {
  if (t.id <= newest(stats)) return stats;
  return { ...stats, ...tradeFigures(addTrade(totalsOfStats(stats), t)) };
}

/**
 * A fresh snapshot merged with what the stream has shown: behind the stream, the trade events it lacks are folded
 * onto it; ahead of the stream, its trade figures wait for the events (the shown ones are kept).
 */
export function mergeSnapshot(shown: Stats | null, snapshot: Stats, streamed: readonly Trade[]): Stats {
  if (!shown) return streamed.reduce(foldTrade, snapshot);
  if (newest(snapshot) > newest(shown)) return { ...snapshot, ...tradeFigures(totalsOfStats(shown)) };
  return streamed.filter((t) => t.id > newest(snapshot)).reduce(foldTrade, snapshot);
}
