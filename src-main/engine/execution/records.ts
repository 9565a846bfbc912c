import type { ExitReason, Order } from '../../../src-shared/contract';
import type { OrderRequest } from '../ports/exchange.port';
import type { PositionRecord } from '../ports/journal.port';
import { roundToStep } from '../market/precision';

/**
 * One record per order (docs/benchmarks.md, engine, sixth round): the contract's order as the executor journals and
 * reports it, and the request the exchange gets, in one object — before, each order also had a spec carrying the
 * request beside it. Its own fields are the contract's, in the contract's order, so the journal, events and JSON see
 * exactly the order they saw before; the request's names read them (getters on the class, not fields of the record),
 * and what only the exchange needs — the OCO group, the time in force — and an entry's stop-loss and take-profit %
 * live in private fields, which neither JSON nor a spread copies. The request fields never change once the order is
 * journaled (ExchangePort.placeOrder: the exchange may keep it); the status fields move on as the exchange answers.
 */
export class OrderRecord implements Order, OrderRequest {
  id: number;
  client_order_id: string;
  exchange_order_id: string | null = null;
  symbol: string;
  side: Order['side'];
  type: Order['type'];
  purpose: Order['purpose'];
  amount: number;
  price: number | null = null;
  trigger_price: number | null = null;
  status: Order['status'] = 'new';
  filled = 0;
  average_price: number | null = null;
  fee = 0;
  position_id: number | null;
  exit_reason: ExitReason | null;
  created_at: number;
  updated_at: number;
  config_version: number;
  #ocoGroup: string | undefined = undefined;
  #timeInForce: 'IOC' | undefined = undefined;
  #sl: number | undefined = undefined;
  #tp = 0;

  constructor(
    id: number,
    symbol: string,
    side: Order['side'],
    type: Order['type'],
    amount: number,
    purpose: Order['purpose'],
    positionId: number | null,
    exitReason: ExitReason | null,
    now: number,
    configVersion: number,
  ) {
    this.id = id;
    this.client_order_id = `bd-${id}`;
    this.symbol = symbol;
    this.side = side;
    this.type = type;
    this.purpose = purpose;
    this.amount = amount;
    this.position_id = positionId;
    this.exit_reason = exitReason;
    this.created_at = now;
    this.updated_at = now;
    this.config_version = configVersion;
  }

  /** OrderRequest's names for the contract's fields */
  get clientOrderId(): string {
    return this.client_order_id;
  }
  get triggerPrice(): number | undefined {
    return this.trigger_price ?? undefined;
  }
  get ocoGroup(): string | undefined {
    return this.#ocoGroup;
  }
  get timeInForce(): 'IOC' | undefined {
    return this.#timeInForce;
  }
  /** an entry's stop-loss and take-profit % for the position it opens (undefined: not an entry the bot sized) */
  get sl(): number | undefined {
    return this.#sl;
  }
  get tp(): number {
    return this.#tp;
  }

  /** a stop-loss or take-profit of a pair that cancel each other when one fills */
  linkTo(ocoGroup: string): this {
    this.#ocoGroup = ocoGroup;
    return this;
  }
  /** a limit that fills what it can at once and drops the rest (a live entry's price band) */
  immediateOrCancel(): this {
    this.#timeInForce = 'IOC';
    return this;
  }
  /** the position this entry opens gets its stop and target `sl` and `tp` % away from the fill */
  withRisk(sl: number, tp: number): this {
    this.#sl = sl;
    this.#tp = tp;
    return this;
  }
}

/**
 * The position a filled entry opens: `amount` is what the account holds from the fill (less than filled when the fee
 * was taken in the coin bought); its stop and target `slPct` and `tpPct` % away from the fill price, on the market's tick.
 */
export function newPosition(
  id: number,
  entry: Order,
  amount: number,
  at: number,
  slPct: number,
  tpPct: number,
  priceStep: number,
): PositionRecord {
  const price = entry.average_price as number;
  return {
    id,
    symbol: entry.symbol,
    amount,
    entry_price: price,
    entry_fee: entry.fee,
    stop_loss_price: roundToStep(price * (1 - slPct / 100), priceStep, 'down'),
    take_profit_price: roundToStep(price * (1 + tpPct / 100), priceStep, 'up'),
    opened_at: at,
    config_version: entry.config_version,
    entry_client_order_id: entry.client_order_id,
    status: 'open',
    closed_at: null,
    stop_trailed: 0,
  };
}
