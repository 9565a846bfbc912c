/**
 * The account and its orders: balances with free/locked, order placement, fills with binance's commission (charged
 * in the asset received), resting limit and stop orders that fill when the test moves the price, and OCO pairs whose
 * other leg ends EXPIRED once one leg fills. Everything is in memory; answers are JSON bodies or Rejections.
 */
import { type Units, feeOf, floorToStep, formatUnits, maxUnits, minUnits, mulUnits, unitsOf } from './decimal';
import {
  DUPLICATE_ORDER,
  INSUFFICIENT,
  INVALID_SYMBOL,
  MARKET_CLOSED,
  type Rejection,
  filterFailure,
  isRejection,
  mandatory,
} from './errors';
import type { Market, MarketData } from './market-data';
import { type OrderTerms, type Params, isLimitType, isStopType, limitCrosses, parseNewOrder, stopReached } from './order-rules';
import { type Fill, type Lock, type Order, type OrderList, type RespType, type Trade, newOrderReport, randomClientId } from './reports';

export type Json = Record<string, unknown> | unknown[];
export interface Balance {
  free: Units;
  locked: Units;
}

const ACTIVE = new Set(['NEW', 'PARTIALLY_FILLED']);
export const isActive = (o: Order): boolean => ACTIVE.has(o.status);

export class Book {
  readonly balances = new Map<string, Balance>();
  readonly orders: Order[] = [];
  readonly lists: OrderList[] = [];
  readonly trades: Trade[] = [];
  /** share of an order's quantity a resting limit order fills each time the price crosses it (1 = all) */
  readonly fillRatio = new Map<string, number>();
  /** the next `times` market orders of a symbol find only `share` of their quantity in the book */
  readonly thinMarket = new Map<string, { share: number; times: number }>();
  private nextOrderId = 10_000_001;
  private nextTradeId = 5_000_001;
  private nextListId = 100;

  readonly market: MarketData;
  readonly now: () => number;
  /** commission as a fraction in units: 0.1% = unitsOf('0.001') */
  readonly commission: Units;

  constructor(opts: { market: MarketData; now: () => number; commission: Units }) {
    this.market = opts.market;
    this.now = opts.now;
    this.commission = opts.commission;
  }

  // ---- balances --------------------------------------------------------------------------------------------

  balance(asset: string): Balance {
    let b = this.balances.get(asset);
    if (!b) {
      b = { free: 0n, locked: 0n };
      this.balances.set(asset, b);
    }
    return b;
  }

  /** moves `amount` from free to locked and returns the hold an order (or both legs of an OCO) keeps */
  holdFunds(asset: string, amount: Units): Lock {
    const b = this.balance(asset);
    b.free -= amount;
    b.locked += amount;
    return { asset, amount };
  }

  /** hands what is left of a lock back to free, once no open order holds it any more */
  private settle(o: Order): void {
    if (this.orders.some((x) => x.lock === o.lock && isActive(x))) return;
    const b = this.balance(o.lock.asset);
    b.locked -= o.lock.amount;
    b.free += o.lock.amount;
    o.lock.amount = 0n;
  }

  accountJson(omitZero = false): Record<string, unknown> {
    const bps = Number(this.commission / 10_000n);
    const rate = formatUnits(this.commission);
    return {
      makerCommission: bps,
      takerCommission: bps,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: rate, taker: rate, buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: this.now(),
      accountType: 'SPOT',
      balances: [...this.balances]
        .filter(([, b]) => !omitZero || b.free !== 0n || b.locked !== 0n)
        .map(([asset, b]) => ({ asset, free: formatUnits(b.free), locked: formatUnits(b.locked) })),
      permissions: ['SPOT'],
      uid: 354937868,
    };
  }

  /** GET /sapi/v1/capital/config/getall (ccxt's fetchCurrencies): the account's assets, no networks */
  coinsJson(): unknown[] {
    return [...this.balances].map(([coin, b]) => ({
      coin,
      name: coin,
      free: formatUnits(b.free),
      locked: formatUnits(b.locked),
      freeze: '0',
      withdrawing: '0',
      ipoing: '0',
      ipoable: '0',
      storage: '0',
      isLegalMoney: false,
      trading: true,
      depositAllEnable: true,
      withdrawAllEnable: true,
      networkList: [],
    }));
  }

  // ---- placing orders --------------------------------------------------------------------------------------

  tradableMarket(p: Params): Market | Rejection {
    if (!p.symbol) return mandatory('symbol');
    const m = this.market.market(p.symbol);
    if (!m) return INVALID_SYMBOL();
    return m;
  }

  /** POST /api/v3/order */
  placeOrder(p: Params): Json | Rejection {
    const m = this.tradableMarket(p);
    if (isRejection(m)) return m;
    const last = this.market.price(m.id);
    const terms = parseNewOrder(p, m, last);
    if (isRejection(terms)) return terms;
    if (m.status !== 'TRADING') return MARKET_CLOSED();
    const refused = this.checkOrderCounts(m, [terms]) ?? this.checkClientId(m.id, terms.clientOrderId);
    if (refused) return refused;
    const need = this.fundsNeeded(m, terms, last);
    if (this.balance(need.asset).free < need.amount) return INSUFFICIENT();
    const order = this.open(m, terms, this.holdFunds(need.asset, need.amount), -1);
    const fills = this.matchOnEntry(m, order);
    return newOrderReport(order, respTypeOf(p, order), fills);
  }

  /** POST /api/v3/order/test: every check of a real order except the balance, and nothing placed */
  testOrder(p: Params): Json | Rejection {
    const m = this.tradableMarket(p);
    if (isRejection(m)) return m;
    const terms = parseNewOrder(p, m, this.market.price(m.id));
    if (isRejection(terms)) return terms;
    return m.status === 'TRADING' ? {} : MARKET_CLOSED();
  }

  /**
   * MAX_NUM_ORDERS / MAX_NUM_ALGO_ORDERS: open orders per symbol, and of those the stop and take-profit ones
   * ("algo" orders) — binance allows 5 of those per symbol, so a bot cannot rest a stop under every position
   */
  checkOrderCounts(m: Market, adding: readonly OrderTerms[]): Rejection | undefined {
    const open = this.orders.filter((o) => o.symbol === m.id && isActive(o));
    if (open.length + adding.length > m.maxNumOrders) return filterFailure('MAX_NUM_ORDERS');
    const algo = open.filter((o) => isStopType(o.type)).length + adding.filter((t) => isStopType(t.type)).length;
    if (algo > m.maxNumAlgoOrders && adding.some((t) => isStopType(t.type))) return filterFailure('MAX_NUM_ALGO_ORDERS');
    return undefined;
  }

  /** binance refuses a newClientOrderId that an open order of the symbol already carries */
  checkClientId(symbol: string, id: string | undefined): Rejection | undefined {
    if (id === undefined) return undefined;
    return this.orders.some((o) => o.symbol === symbol && o.clientOrderId === id && isActive(o)) ? DUPLICATE_ORDER() : undefined;
  }

  /** what an order holds while open: quote for a buy at its limit (or the market/stop price), base for a sell */
  fundsNeeded(m: Market, t: OrderTerms, last: Units): Lock {
    if (t.side === 'SELL') return { asset: m.base, amount: t.quantity };
    const at = isLimitType(t.type) ? t.price : isStopType(t.type) ? t.stopPrice : last;
    return { asset: m.quote, amount: mulUnits(at, t.quantity) };
  }

  /** records a new order holding `lock` (an OCO's legs pass the same one) */
  open(m: Market, t: OrderTerms, lock: Lock, orderListId: number): Order {
    const now = this.now();
    const order: Order = {
      symbol: m.id,
      orderId: this.nextOrderId++,
      orderListId,
      clientOrderId: t.clientOrderId ?? randomClientId(),
      side: t.side,
      type: t.type,
      timeInForce: t.timeInForce ?? 'GTC',
      price: t.price,
      stopPrice: t.stopPrice,
      origQty: t.quantity,
      origQuoteOrderQty: t.quoteOrderQty,
      executedQty: 0n,
      cummulativeQuoteQty: 0n,
      status: 'NEW',
      time: now,
      updateTime: now,
      workingTime: isStopType(t.type) ? -1 : now,
      lock,
      fills: [],
    };
    this.orders.push(order);
    return order;
  }

  newListId(): number {
    return this.nextListId++;
  }

  /**
   * A new order meets the market: market orders and crossing limits take at the last price. A market order the book
   * cannot fill whole (thinMarket) takes what there is and the rest expires, as binance ends it: EXPIRED with
   * executedQty < origQty ("MARKET orders that partially fill"). An IOC limit takes only what the market offers (the
   * symbol's fill ratio, standing in for the book's depth at the price) and, like binance, ends EXPIRED with the
   * executed part; a FOK that cannot fill whole ends EXPIRED with nothing.
   */
  private matchOnEntry(m: Market, o: Order): Fill[] {
    const last = this.market.price(m.id);
    const thin = o.type === 'MARKET' ? this.thinMarket.get(m.id) : undefined;
    if (thin) {
      if (--thin.times <= 0) this.thinMarket.delete(m.id);
      const part = minUnits(o.origQty, maxUnits(floorToStep(mulUnits(o.origQty, unitsOf(thin.share)), m.stepSize), m.stepSize));
      const fills = this.fill(o, part, last, false);
      if (isActive(o)) this.finish(o, 'EXPIRED');
      return fills;
    }
    if (o.type === 'MARKET') return this.fill(o, o.origQty, last, false);
    if (o.type === 'LIMIT' && limitCrosses(o.side, o.price, last)) {
      const ratio = this.fillRatio.get(m.id) ?? 1;
      if (ratio >= 1 || o.timeInForce === 'GTC') return this.fill(o, o.origQty, last, false);
      const part = o.timeInForce === 'FOK' ? 0n : minUnits(o.origQty, floorToStep(mulUnits(o.origQty, unitsOf(ratio)), m.stepSize));
      const fills = part > 0n ? this.fill(o, part, last, false) : [];
      if (isActive(o)) this.finish(o, 'EXPIRED');
      return fills;
    }
    if (o.type === 'LIMIT' && o.timeInForce !== 'GTC') this.finish(o, 'EXPIRED');
    return [];
  }

  /** executes `qty` of an order at `price`: moves the funds, charges commission in the asset received, logs the trade */
  fill(o: Order, qty: Units, price: Units, isMaker: boolean): Fill[] {
    const m = this.market.market(o.symbol) as Market;
    const quoteQty = mulUnits(price, qty);
    const now = this.now();
    const spend = o.side === 'BUY' ? quoteQty : qty;
    const fromLock = minUnits(spend, o.lock.amount);
    const extra = spend - fromLock;
    // a stop-market buy that gaps above its stop costs more than it holds; unfunded, binance expires it
    if (extra > 0n && this.balance(o.lock.asset).free < extra) {
      this.finish(o, 'EXPIRED');
      return [];
    }
    const paid = this.balance(o.lock.asset);
    paid.locked -= fromLock;
    paid.free -= extra;
    o.lock.amount -= fromLock;
    const gotAsset = o.side === 'BUY' ? m.base : m.quote;
    const got = o.side === 'BUY' ? qty : quoteQty;
    const commission = feeOf(got, this.commission);
    this.balance(gotAsset).free += got - commission;

    const trade: Trade = {
      symbol: o.symbol,
      id: this.nextTradeId++,
      orderId: o.orderId,
      orderListId: o.orderListId,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset: gotAsset,
      time: now,
      isBuyer: o.side === 'BUY',
      isMaker,
    };
    this.trades.push(trade);
    this.market.recordTrade(o.symbol, now, price, qty, o.side === 'BUY' && !isMaker);
    const f: Fill = { price, qty, commission, commissionAsset: gotAsset, tradeId: trade.id };
    o.fills.push(f);
    o.executedQty += qty;
    o.cummulativeQuoteQty += quoteQty;
    o.updateTime = now;
    if (o.workingTime === -1) o.workingTime = now;
    o.status = o.executedQty >= o.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    this.expireSiblings(o);
    if (o.status === 'FILLED') {
      this.settle(o);
      this.refreshList(o);
    }
    return [f];
  }

  /** moves an open order to a final status and frees what it held */
  finish(o: Order, status: 'CANCELED' | 'EXPIRED'): void {
    o.status = status;
    o.updateTime = this.now();
    this.settle(o);
    this.refreshList(o);
  }

  /** one leg of an OCO filled (even partly): the others expire */
  private expireSiblings(o: Order): void {
    const list = this.listOf(o);
    if (!list) return;
    for (const leg of this.legsOf(list)) if (leg !== o && isActive(leg)) this.finish(leg, 'EXPIRED');
  }

  private listOf(o: Order): OrderList | undefined {
    return o.orderListId === -1 ? undefined : this.lists.find((l) => l.orderListId === o.orderListId);
  }

  /** a list is ALL_DONE once none of its legs can still trade (a partly filled leg keeps it executing) */
  private refreshList(o: Order): void {
    const list = this.listOf(o);
    if (!list || list.listStatusType === 'ALL_DONE' || this.legsOf(list).some(isActive)) return;
    list.listStatusType = 'ALL_DONE';
    list.listOrderStatus = 'ALL_DONE';
    list.transactionTime = this.now();
  }

  // ---- the price moves -------------------------------------------------------------------------------------

  /**
   * Runs resting orders against a new last price: stops whose trigger was reached fire (a stop-market fills at the
   * new price, so a gap through the stop fills beyond it); limits the price crossed fill at their own price.
   */
  onPrice(symbol: string, fillRatio?: number): void {
    const last = this.market.price(symbol);
    const m = this.market.market(symbol) as Market;
    for (const o of this.orders.filter((x) => x.symbol === symbol && isActive(x))) {
      if (!isActive(o)) continue; // its OCO sibling filled earlier in this loop
      const remaining = o.origQty - o.executedQty;
      if (isStopType(o.type) && o.workingTime === -1) {
        if (!stopReached(o.type, o.side, o.stopPrice, last)) continue;
        o.workingTime = this.now();
        if (!isLimitType(o.type) || limitCrosses(o.side, o.price, last)) this.fill(o, remaining, last, false);
        continue;
      }
      if (isLimitType(o.type) && limitCrosses(o.side, o.price, last)) {
        const ratio = fillRatio ?? this.fillRatio.get(symbol) ?? 1;
        const part = ratio >= 1 ? remaining : floorToStep(mulUnits(o.origQty, unitsOf(ratio)), m.stepSize);
        this.fill(o, minUnits(remaining, maxUnits(part, m.stepSize)), o.price, true);
      }
    }
  }

  // ---- order lists -----------------------------------------------------------------------------------------

  cancelWithList(o: Order): void {
    this.finish(o, 'CANCELED');
    const list = this.listOf(o);
    if (list) for (const leg of this.legsOf(list)) if (isActive(leg)) this.finish(leg, 'CANCELED');
  }

  legsOf(list: OrderList): Order[] {
    return list.orderIds.map((id) => this.orders.find((o) => o.orderId === id) as Order);
  }
}

/** ccxt always asks for FULL on spot; binance's own default is FULL for MARKET and LIMIT, ACK for the rest */
function respTypeOf(p: Params, o: Order): RespType {
  const asked = p.newOrderRespType;
  if (asked === 'ACK' || asked === 'RESULT' || asked === 'FULL') return asked;
  return o.type === 'MARKET' || o.type === 'LIMIT' ? 'FULL' : 'ACK';
}
