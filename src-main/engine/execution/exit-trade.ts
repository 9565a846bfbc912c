import type { ExitReason, Order, Trade } from '../../../src-shared/contract';
import type { PositionRecord } from '../ports/journal.port';

/**
 * The trade an exit books: `sold` of the position at the exit's average price, carrying `entryFee` (the position's
 * entry fee, or its share of it when the exit filled in part) and the exit's own fee. P&L is net of both. Arguments
 * rather than an options object: one trade per call, and the object was garbage per trade when not inlined.
 */
export function exitTrade(
  id: number,
  position: PositionRecord,
  exit: Order,
  sold: number,
  entryFee: number,
  at: number,
  configVersion: number,
): Trade {
  const exitPrice = exit.average_price as number;
  const fee = entryFee + exit.fee;
  const pnl = (exitPrice - position.entry_price) * sold - fee;
  return new TradeRecord(id, position, sold, exitPrice, at, fee, pnl, exit.exit_reason ?? 'manual', configVersion);
}

/**
 * A trade, built by `new` rather than as an object literal. Every trade outlives the young generation (the journal
 * keeps it), so V8 learns to allocate a literal's objects straight in the old one; each number then stored in it is a
 * young object referenced from an old one, which takes the write barrier's slow path — that literal was ~7 % of a
 * backtest's CPU (docs/benchmarks.md, engine, fourth round). `new` allocates young. Plain data all the same: its own
 * enumerable fields are the Trade's, in the contract's order (JSON, spreads and structured clones see a plain trade).
 */
class TradeRecord implements Trade {
  declare id: number;
  declare position_id: number;
  declare symbol: string;
  declare side: 'long';
  declare amount: number;
  declare entry_price: number;
  declare exit_price: number;
  declare entry_time: number;
  declare exit_time: number;
  declare fee: number;
  declare pnl: number;
  declare pnl_pct: number;
  declare exit_reason: ExitReason;
  declare config_version: number;

  constructor(
    id: number,
    position: PositionRecord,
    sold: number,
    exitPrice: number,
    at: number,
    fee: number,
    pnl: number,
    exitReason: ExitReason,
    configVersion: number,
  ) {
    this.id = id;
    this.position_id = position.id;
    this.symbol = position.symbol;
    this.side = 'long';
    this.amount = sold;
    this.entry_price = position.entry_price;
    this.exit_price = exitPrice;
    this.entry_time = position.opened_at;
    this.exit_time = at;
    this.fee = fee;
    this.pnl = pnl;
    this.pnl_pct = (pnl / (position.entry_price * sold)) * 100;
    this.exit_reason = exitReason;
    this.config_version = configVersion;
  }
}
