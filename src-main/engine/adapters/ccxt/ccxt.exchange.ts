import type { Exchange, Order as CcxtOrder } from 'ccxt';
import { ccxtErrors as ccxt } from './ccxt-module';
import type { AssetBalance, Balances, ExchangeOrderState, ExchangePort, MarketRules, OrderRequest } from '../../ports/exchange.port';
import type { SharedRead } from '../../shared-read';
import { AccountReads } from './account-reads';
import { orderState } from './order-state';
import { errorLine } from '../../log/redact';
import { keyRefused } from './read-retry';
import { ExchangeHealth, type Note } from './exchange-health';
import { OrderWatch } from './order-watch';

export type { ExchangeTrouble } from './exchange-health';

/** an entry this soon after the close it acts on is measured from that close (no ticker request on the way) */
const FRESH_CLOSE_MS = 5_000;

export interface CcxtExchangeOptions {
  exchange: Exchange;
  rules: MarketRules;
  /** how often resting orders are checked between candles */
  watchEveryMs?: number;
  /** how long an order whose placement answer was lost may stay unseen before it is taken as never placed */
  unknownGraceMs?: number;
  /** consecutive failed calls before the bot pauses itself */
  circuitAfter?: number;
  /** a line for the log (the adapter knows nothing of the logger's shape) */
  note?: Note;
  now?: () => number;
  /**
   * A client of its own for reads asked from outside the bot (sharedBalances), made at the first such read: ccxt's
   * rate limiter is a queue per client, and the bot's orders must never wait in it behind them. Without it those
   * reads use the trading client.
   */
  readClient?: () => Promise<Exchange>;
  /** how long an outside read's answer is served to everyone who asks (default 1000 ms) */
  sharedReadMaxAgeMs?: number;
  /** whether the exchange links a stop-loss and a take-profit into one pair (binance's OCO list); default: binance only */
  linkedPairs?: boolean;
}

/**
 * A real exchange behind the engine's port, through ccxt. Every order carries our clientOrderId; a placement is sent
 * once and never retried blind: when its answer is lost, the order is looked up by that id (now, then by the
 * watcher) until it shows up or the grace period proves it was never placed. Reads retry with backoff. Definite
 * refusals (funds, filters) come back as rejected orders with the exchange's reason; refused keys and a run of
 * failures call `onTrouble` so the bot pauses itself.
 */
export class CcxtExchange implements ExchangePort {
  readonly id: string;
  private readonly linksPairs: boolean;
  private readonly ex: Exchange;
  private readonly rules: MarketRules;
  private readonly health: ExchangeHealth;
  private readonly orders: OrderWatch;
  private readonly now: () => number;

  constructor(private readonly o: CcxtExchangeOptions) {
    this.ex = o.exchange;
    this.id = o.exchange.id;
    this.linksPairs = o.linkedPairs ?? this.id === 'binance';
    this.rules = o.rules;
    this.now = o.now ?? Date.now;
    this.health = new ExchangeHealth(this.note, o.circuitAfter);
    this.orders = new OrderWatch({
      openIds: () => this.openClientOrderIds(),
      lookUp: (id) => this.lookUp(id),
      neverPlaced: (id, reason) => this.rejected(id, reason),
      finished: (state) => this.forgetPair(state.clientOrderId),
      note: this.note,
      now: this.now,
      everyMs: o.watchEveryMs ?? 5000,
      unknownGraceMs: o.unknownGraceMs ?? 60_000,
    });
    this.accountReads = new AccountReads({
      rules: this.rules,
      trading: this.ex,
      readClient: o.readClient,
      read: (fn, client) => this.read(fn, client),
      sharedMaxAgeMs: o.sharedReadMaxAgeMs ?? 1000,
    });
    this.sharedBalances = this.accountReads.shared;
  }

  market(): MarketRules {
    return this.rules;
  }

  /** the exchange's own name of the traded market (the rules may be switched to another market in place) */
  private get marketId(): string {
    return String(this.ex.market(this.rules.symbol).id);
  }

  /** the last close: the reference for a market order's value against the market minimum */
  private lastPrice = NaN;
  /** wall time the last close was traded: an entry right after it (the strategy's) goes by it, a later one asks */
  private lastCloseAt = -Infinity;
  onCandleAt(d: Float64Array, at: number): void {
    this.lastPrice = d[at + 4];
    this.lastCloseAt = this.now();
  }
  observePrice(price: number): void {
    this.lastPrice = price;
  }

  /**
   * The price an entry's band is measured from: the close the bot is acting on when it was traded moments ago (no
   * extra request between a candle and the strategy's order), else the exchange's last price now (a person's entry
   * in the middle of a candle). When the ticker cannot be read, the last close is used and the band still protects.
   */
  async entryReferencePrice(): Promise<number> {
    if (this.now() - this.lastCloseAt <= FRESH_CLOSE_MS && this.lastPrice > 0) return this.lastPrice;
    try {
      const t = await this.read(() => this.ex.fetchTicker(this.rules.symbol));
      const last = Number(t.last ?? t.close);
      if (last > 0) return (this.lastPrice = last);
    } catch (e) {
      this.note(
        'warn',
        `the ticker could not be read for the entry's price band (${errorLine(e)}); measuring it from the last close ${this.lastPrice}`,
      );
    }
    return this.lastPrice;
  }

  // ── placing ────────────────────────────────────────────────────────────────
  async placeOrder(r: OrderRequest): Promise<ExchangeOrderState> {
    const refused = this.refusal(r, r.type === 'limit' ? r.price : r.type === 'stop_market' ? r.triggerPrice : this.lastPrice);
    if (refused) return this.rejected(r.clientOrderId, refused);
    const amount = Number(this.ex.amountToPrecision(r.symbol, r.amount));
    const params: Record<string, unknown> = { clientOrderId: r.clientOrderId };
    let type: string = r.type;
    let price: number | undefined;
    if (r.type === 'limit') price = Number(this.ex.priceToPrecision(r.symbol, r.price as number));
    if (r.timeInForce) params.timeInForce = r.timeInForce;
    if (r.type === 'stop_market') {
      type = 'market';
      params.stopLossPrice = Number(this.ex.priceToPrecision(r.symbol, r.triggerPrice as number));
    }
    const [state] = await this.place([r.clientOrderId], async () => [
      orderState(await this.ex.createOrder(r.symbol, type, r.side, amount, price, params), this.rules, r.clientOrderId),
    ]);
    return r.timeInForce === 'IOC' ? this.bandOutcome(r, amount, price as number, state) : state;
  }

  /**
   * A price-banded entry (limit IOC) fills what the market offers at or under its limit and the exchange drops the
   * rest (binance: EXPIRED with the executed part): a part fill opens a position of what filled, and the log says
   * what was dropped; nothing filled means the price moved beyond the band, reported as a refusal with that reason.
   */
  private bandOutcome(r: OrderRequest, amount: number, limit: number, state: ExchangeOrderState): ExchangeOrderState {
    const { base, quote } = this.rules;
    if (state.status === 'cancelled' && !(state.filled > 0)) {
      const reason = `the price moved beyond max_slippage_pct: nothing was offered at or under ${limit} ${quote} (the entry's price band), so nothing was bought and the entry was dropped`;
      this.note('warn', `entry ${r.clientOrderId} not filled: ${reason}`);
      return { ...state, status: 'rejected', rejectReason: reason };
    }
    if (state.status === 'filled' && state.filled < amount - this.rules.amountStep / 2) {
      this.note(
        'warn',
        `entry ${r.clientOrderId} filled ${state.filled} of ${amount} ${base} at or under ${limit} ${quote} (the entry's price band, max_slippage_pct); the other ${Number((amount - state.filled).toPrecision(12))} ${base} were dropped`,
      );
    }
    return state;
  }

  /** binance spot: one OCO order list, the take-profit above (LIMIT_MAKER) and the stop below (STOP_LOSS) */
  async placeProtection(stop: OrderRequest, target: OrderRequest): Promise<[ExchangeOrderState, ExchangeOrderState]> {
    if (!this.linksPairs) return this.placeStopAlone(stop, target);
    const refused = this.refusal(stop, stop.triggerPrice) ?? this.refusal(target, target.price);
    if (refused) return [this.rejected(stop.clientOrderId, refused), this.rejected(target.clientOrderId, refused)];
    const ids = [stop.clientOrderId, target.clientOrderId];
    this.partners.set(stop.clientOrderId, target.clientOrderId);
    this.partners.set(target.clientOrderId, stop.clientOrderId);
    const [s, t] = await this.place(ids, async () => {
      await (this.ex as unknown as { privatePostOrderListOco(p: object): Promise<unknown> }).privatePostOrderListOco({
        symbol: this.marketId,
        side: 'SELL',
        quantity: this.ex.amountToPrecision(stop.symbol, stop.amount),
        listClientOrderId: stop.ocoGroup ?? `${stop.clientOrderId}-oco`,
        aboveType: 'LIMIT_MAKER',
        abovePrice: this.ex.priceToPrecision(target.symbol, target.price as number),
        aboveClientOrderId: target.clientOrderId,
        belowType: 'STOP_LOSS',
        belowStopPrice: this.ex.priceToPrecision(stop.symbol, stop.triggerPrice as number),
        belowClientOrderId: stop.clientOrderId,
      });
      // the list's answer is raw binance; each leg is read back in the unified shape
      return Promise.all(ids.map(async (id) => (await this.lookUp(id)) ?? this.unknown(id)));
    });
    if (s.status === 'rejected' && t.status === 'rejected') {
      // the pair was refused (e.g. a take-profit beyond binance's price band): the stop alone still protects
      this.note('warn', `the stop-loss/take-profit pair was refused (${s.rejectReason}); resting the stop-loss alone`);
      return [await this.placeOrder(stop), t];
    }
    return [s, t];
  }

  /**
   * One placement (one order, or a linked pair): sent once. A definite refusal rejects every order in it; a lost or
   * failed answer makes the outcome unknown, so the orders are looked up at once and then watched, never sent again.
   */
  private async place(ids: string[], send: () => Promise<ExchangeOrderState[]>): Promise<ExchangeOrderState[]> {
    try {
      const states = await send();
      this.health.succeeded();
      for (const st of states) this.orders.track(st);
      return states;
    } catch (e) {
      if (this.isRefusal(e)) {
        this.health.succeeded(); // the exchange answered: it is reachable
        return ids.map((id) => this.rejected(id, errorLine(e), e instanceof ccxt.OrderImmediatelyFillable));
      }
      this.health.failed(e);
      this.note(
        'warn',
        `placing ${ids.join(' + ')} got no clear answer (${errorLine(e)}); looking it up by client order id instead of sending it again`,
      );
      const states: ExchangeOrderState[] = [];
      for (const id of ids) {
        this.orders.lost(id);
        const found = await this.lookUp(id).catch(() => null);
        if (found) this.orders.track(found);
        states.push(found ?? this.unknown(id));
      }
      this.orders.ensureWatching();
      return states;
    }
  }

  /** the exchange refused the order itself: sending it again would fail the same way */
  private isRefusal(e: unknown): boolean {
    if (keyRefused(e)) {
      this.health.keysRefused(e);
      return true;
    }
    return (
      e instanceof ccxt.InsufficientFunds ||
      e instanceof ccxt.InvalidOrder ||
      e instanceof ccxt.BadRequest ||
      e instanceof ccxt.BadSymbol ||
      e instanceof ccxt.InvalidNonce || // a timestamp refused before anything was done (the clock is resynced by ccxt)
      e instanceof ccxt.DDoSProtection ||
      e instanceof ccxt.RateLimitExceeded
    ); // binance carries out no request it answers 429/418
  }

  /** the market's rules, checked before anything is sent */
  private refusal(r: OrderRequest, refPrice: number | undefined): string | null {
    const { rules } = this;
    if (r.symbol !== rules.symbol) return `${r.symbol} is not the traded market ${rules.symbol}`;
    if (!(r.amount > 0)) return 'the amount must be positive';
    if (r.amount < rules.minAmount - 1e-12) return `the amount ${r.amount} is under the market minimum ${rules.minAmount} ${rules.base}`;
    const steps = r.amount / rules.amountStep;
    if (Math.abs(steps - Math.round(steps)) > 1e-6) return `the amount ${r.amount} is not a multiple of the step ${rules.amountStep}`;
    if (r.type !== 'market' && !(Number(refPrice) > 0)) return 'the order needs a positive price';
    const price = Number(refPrice);
    if (Number.isFinite(price) && r.amount * price < rules.minNotional)
      return `the order value ${(r.amount * price).toFixed(8)} is under the market minimum ${rules.minNotional} ${rules.quote}`;
    return null;
  }

  // ── cancelling and looking up ──────────────────────────────────────────────
  async cancelOrder(clientOrderId: string): Promise<ExchangeOrderState | null> {
    const known = this.cancelledWithList.get(clientOrderId);
    if (known) {
      this.cancelledWithList.delete(clientOrderId);
      this.orders.track(known);
      return known;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const o = await this.ex.cancelOrder('', this.rules.symbol, { clientOrderId });
        this.health.succeeded();
        this.rememberListCancel(o, clientOrderId);
        // the cancel answer names the cancel request; read the order itself back for its final state
        const state =
          o.status === 'canceled' && !(Number(o.filled) > 0) ? orderState(o, this.rules, clientOrderId) : await this.lookUp(clientOrderId);
        if (state) this.orders.track(state);
        return state;
      } catch (e) {
        if (e instanceof ccxt.OrderNotFound) {
          // gone already: cancelled by its OCO partner, or filled; the order itself tells which
          this.health.succeeded();
          return this.lookUp(clientOrderId);
        }
        this.health.failed(e);
        if (!(e instanceof ccxt.NetworkError) || attempt === 1) throw e;
      }
    }
    return null;
  }

  /**
   * Cancelling one leg of a binance OCO cancels the list: the partner is then cancelled too, with nothing filled (a
   * fill of either leg would have expired the other, and this cancel would have failed). Its own cancel, which the
   * bot sends next, is answered from here without a request (an exit waits for both).
   */
  private readonly partners = new Map<string, string>();
  private readonly cancelledWithList = new Map<string, ExchangeOrderState>();
  private rememberListCancel(o: CcxtOrder, cancelled: string): void {
    const partner = this.partners.get(cancelled);
    const listId = Number((o.info as { orderListId?: number | string } | undefined)?.orderListId ?? -1);
    if (!partner || listId < 0 || o.status !== 'canceled') return;
    this.partners.delete(cancelled);
    this.partners.delete(partner);
    this.cancelledWithList.set(partner, this.cancelledUnfilled(partner));
  }

  async fetchOrder(clientOrderId: string): Promise<ExchangeOrderState | null> {
    const state = await this.lookUp(clientOrderId);
    if (state) this.orders.track(state);
    return state;
  }

  /** the order by our id, or null when the exchange does not know it */
  private async lookUp(clientOrderId: string): Promise<ExchangeOrderState | null> {
    let o: CcxtOrder;
    try {
      o = await this.read(() => this.ex.fetchOrder('', this.rules.symbol, { clientOrderId }));
    } catch (e) {
      if (e instanceof ccxt.OrderNotFound) return null;
      throw e;
    }
    return orderState(await this.withFees(o), this.rules, clientOrderId);
  }

  /**
   * An order read back (not the placement's answer) carries no fills on binance, so no commission: its trades do.
   * Without them a buy's position would count coins the fee took, and its exit could never be sold.
   */
  private async withFees(o: CcxtOrder): Promise<CcxtOrder> {
    const known = (o as { fees?: unknown[] }).fees?.length || o.fee?.cost !== undefined;
    if (!(Number(o.filled) > 0) || known || !o.id) return o;
    const trades = await this.read(() => this.ex.fetchMyTrades(this.rules.symbol, undefined, undefined, { orderId: o.id }));
    const fees = trades
      .filter((t) => String(t.order) === String(o.id))
      .map((t) => t.fee)
      .filter((f) => f && f.cost !== undefined);
    return { ...o, fees } as CcxtOrder;
  }

  // ── balances ───────────────────────────────────────────────────────────────
  async balances(): Promise<Balances> {
    const [base, quote] = await this.assetBalances();
    return { base: base.total, quote: quote.total };
  }

  /** the bot's own read, fresh, on the read client (AccountReads) */
  assetBalances(): Promise<AssetBalance[]> {
    return this.accountReads.fresh();
  }

  private readonly accountReads: AccountReads;
  /** balances for readers outside the bot, one request at a time shared by all (AccountReads.shared) */
  readonly sharedBalances: SharedRead<AssetBalance[]>;

  // ── resting orders between candles ─────────────────────────────────────────
  takeUpdates(): readonly ExchangeOrderState[] {
    return this.orders.takeUpdates();
  }

  onUpdates(listener: () => void): void {
    this.orders.onUpdates(listener);
  }

  /** ids of resting orders on the exchange for this market (reconciliation compares them with the journal) */
  async openClientOrderIds(): Promise<string[]> {
    const open = await this.read(() => this.ex.fetchOpenOrders(this.rules.symbol));
    return open.map((o) => String(o.clientOrderId ?? ''));
  }

  close(): void {
    this.orders.close();
  }

  /** a finished leg ends its pair (bounded memory); a later cancel of the partner simply asks the exchange */
  private forgetPair(clientOrderId: string): void {
    const partner = this.partners.get(clientOrderId);
    this.partners.delete(clientOrderId);
    if (partner) this.partners.delete(partner);
  }

  /**
   * Where the exchange cannot link them, only the stop-loss rests: a second sell would hold the coins the stop needs
   * when it triggers, and would rest on after the stop sold them. The take-profit is never sent (answered as
   * cancelled): the bot watches it and sells at market at the first close at or past it (Protection.protectBare).
   */
  private async placeStopAlone(stop: OrderRequest, target: OrderRequest): Promise<[ExchangeOrderState, ExchangeOrderState]> {
    const s = await this.placeOrder(stop);
    if (!this.toldStopAlone) {
      this.toldStopAlone = true;
      this.note(
        'info',
        `${this.id} has no linked stop-loss/take-profit pairs: the stop-loss rests alone and the bot sells at the take-profit`,
      );
    }
    return [s, this.cancelledUnfilled(target.clientOrderId)];
  }
  private toldStopAlone = false;

  // ── health ─────────────────────────────────────────────────────────────────
  private read<T>(fn: () => Promise<T>, client: Exchange = this.ex): Promise<T> {
    return this.health.read(fn, client);
  }

  onRecovered(listener: () => void): void {
    this.health.onRecovered(listener);
  }

  onTrouble(listener: (reason: string) => void): void {
    this.health.onTrouble(listener);
  }

  private readonly note: Note = (level, msg, fields) => this.o.note?.(level, msg, fields);

  private rejected(clientOrderId: string, reason: string, wouldTrigger = false): ExchangeOrderState {
    return {
      clientOrderId,
      exchangeOrderId: null,
      status: 'rejected',
      filled: 0,
      averagePrice: null,
      fee: 0,
      updatedAt: this.now(),
      rejectReason: reason,
      wouldTrigger,
    };
  }

  /** ended with nothing filled: cancelled with its list, or never sent */
  private cancelledUnfilled(clientOrderId: string): ExchangeOrderState {
    return { clientOrderId, exchangeOrderId: null, status: 'cancelled', filled: 0, averagePrice: null, fee: 0, updatedAt: this.now() };
  }

  /** placed or not, nobody knows yet: resting as far as the bot is concerned, until the watcher finds out */
  private unknown(clientOrderId: string): ExchangeOrderState {
    return { clientOrderId, exchangeOrderId: null, status: 'open', filled: 0, averagePrice: null, fee: 0, updatedAt: this.now() };
  }
}
