import type { SharedRead } from '../shared-read';

/** What the engine needs from an exchange, paper or live. Implementations may answer synchronously (paper,
 * backtest) or with a promise (ccxt); the executor handles both so the backtest hot path never awaits. */
export type MaybePromise<T> = T | Promise<T>;

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop_market';

export interface MarketRules {
  symbol: string;
  base: string;
  quote: string;
  /** smallest amount increment */
  amountStep: number;
  /** smallest price increment */
  priceStep: number;
  minAmount: number;
  /** smallest order value in quote */
  minNotional: number;
}

export interface OrderRequest {
  /** our id, unique forever: lets a restart find an order whose acknowledgement was lost */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  amount: number;
  /** limit price */
  price?: number;
  /** stop trigger */
  triggerPrice?: number;
  /** orders of one group cancel each other when one fills (SL/TP of a position) */
  ocoGroup?: string;
  /** a limit that fills what it can at once, at its price or better, and drops the rest (a live entry's price band) */
  timeInForce?: 'IOC';
}

/**
 * A request's own fields, for an exchange that stores what it was asked (the paper book's journal): the engine's
 * request is its order spec (execution/records.ts), which carries the executor's fields beside these.
 */
export function requestFields(r: OrderRequest): OrderRequest {
  const { clientOrderId, symbol, side, type, amount, price, triggerPrice, ocoGroup, timeInForce } = r;
  return { clientOrderId, symbol, side, type, amount, price, triggerPrice, ocoGroup, timeInForce };
}

export type ExchangeOrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected';

export interface ExchangeOrderState {
  clientOrderId: string;
  exchangeOrderId: string | null;
  status: ExchangeOrderStatus;
  filled: number;
  averagePrice: number | null;
  /** in quote currency */
  fee: number;
  updatedAt: number;
  rejectReason?: string;
  /**
   * Rejected because the market is already through its trigger (binance: "Stop price would trigger immediately"): the
   * stop would have filled at once. The executor sells at market then, as the stop would have (Protection.protect).
   */
  wouldTrigger?: boolean;
  /** a buy's coins that can be sold again, when the exchange took its fee from them (binance); default: filled */
  received?: number;
}

export interface Balances {
  base: number;
  quote: number;
}

/** One asset of the account as the exchange reports it: `used` is held by resting orders. */
export interface AssetBalance {
  asset: string;
  free: number;
  used: number;
  total: number;
}

/** Order states an exchange answers with are the caller's to read at once, never to change or to keep: an exchange may
 * answer its own record of the order and update it in place as the order moves on (the paper exchange: one record per
 * order, no copy per answer or per change). What must outlive the call is copied (the executor's books copy into their
 * Order at once). */
export interface ExchangePort {
  readonly id: string;
  market(symbol: string): MarketRules;
  /**
   * the request is the exchange's once placed (it may keep it): the executor builds one per order and never changes it;
   * it may carry fields of the executor's beside OrderRequest's (an exchange that stores it keeps `requestFields`)
   */
  placeOrder(request: OrderRequest): MaybePromise<ExchangeOrderState>;
  cancelOrder(clientOrderId: string): MaybePromise<ExchangeOrderState | null>;
  /** null when the exchange never saw this order */
  fetchOrder(clientOrderId: string): MaybePromise<ExchangeOrderState | null>;
  balances(symbol: string): MaybePromise<Balances>;
  /** the market's base and quote, with what resting orders hold, read fresh */
  assetBalances(symbol: string): MaybePromise<AssetBalance[]>;
  /**
   * The same for readers outside the bot (GET /bot/balances): one request at a time shared by every caller, its
   * answer served ~1 s, on a connection of its own so the bot's orders never queue behind them. The bot invalidates
   * it whenever one of its orders changes. Absent where a read costs nothing (paper).
   */
  readonly sharedBalances?: SharedRead<AssetBalance[]>;
  /** order changes since the last call (resting orders that filled or were cancelled by their OCO partner) */
  takeUpdates(): readonly ExchangeOrderState[];
  /** a position's stop-loss and take-profit as one linked pair in one request, where the exchange can (binance OCO) */
  placeProtection?(stop: OrderRequest, target: OrderRequest): MaybePromise<[ExchangeOrderState, ExchangeOrderState]>;
  /** called when takeUpdates has something between candles (a live exchange watching its resting orders) */
  onUpdates?(listener: () => void): void;
  /** client ids of the orders resting on the exchange for the traded market (reconciliation; live exchanges) */
  openClientOrderIds?(): Promise<string[]>;
  /** called when the exchange answers again after failed calls (reconciliation runs then: fills may have been missed) */
  onRecovered?(listener: () => void): void;
  /**
   * Live exchanges: the price an entry's price band is measured from (the close just traded, else the exchange's last
   * price now). With it, entries go out as a limit IOC at this price plus max_slippage_pct; without it (paper,
   * backtest) they stay market orders.
   */
  entryReferencePrice?(): Promise<number>;
  /** called when trading must stop by itself: the keys were refused, or the exchange keeps failing (circuit breaker) */
  onTrouble?(listener: (reason: string) => void): void;
  /** a simulated account's new start in quote (paper, before its first order) */
  resetFunds?(quote: number): void;
}

export const isPromise = <T>(v: MaybePromise<T>): v is Promise<T> => typeof (v as Promise<T> | null)?.then === 'function';
