import type { Balances as CcxtBalances, Exchange } from 'ccxt';
import type { AssetBalance, MarketRules } from '../../ports/exchange.port';
import { sharedRead, type SharedRead } from '../../shared-read';

export interface AccountReadsOptions {
  /** the traded market's rules (switched in place when the market changes) */
  rules: MarketRules;
  /** the trading client: reads use it when no client of their own is given */
  trading: Exchange;
  /** a client of its own for reads, made at the first read (CcxtExchangeOptions.readClient) */
  readClient?: () => Promise<Exchange>;
  /** a read with retries, counted by the link's health */
  read<T>(fn: () => Promise<T>, client: Exchange): Promise<T>;
  /** how long an outside read's answer is served to everyone who asks */
  sharedMaxAgeMs: number;
}

/**
 * The account's balances for the traded market's two assets, on a client of their own: ccxt's limiter charges a
 * binance account read (4 slots of 50 ms) to the next request on the same client, however much later it comes (the
 * bucket refills only while something waits), so on the trading client every equity read delayed the next order
 * ~150 ms.
 */
export class AccountReads {
  /**
   * Balances for readers outside the bot (GET /bot/balances, however many ask at once): one account request at a
   * time, its answer served for a second. The whole account is kept, so a market switched in place is answered with
   * its own assets.
   */
  readonly shared: SharedRead<AssetBalance[]>;
  private readonly account: SharedRead<CcxtBalances>;
  private reader: Promise<Exchange> | null = null;

  constructor(private readonly o: AccountReadsOptions) {
    this.account = sharedRead(() => this.fetch(), { maxAgeMs: o.sharedMaxAgeMs });
    this.shared = {
      get: async () => this.pick(await this.account.get()),
      invalidate: () => this.account.invalidate(),
    };
  }

  /** the bot's own read, fresh (never shared or spaced) */
  async fresh(): Promise<AssetBalance[]> {
    return this.pick(await this.fetch());
  }

  private async fetch(): Promise<CcxtBalances> {
    const ex = await this.client();
    return this.o.read(() => ex.fetchBalance(), ex);
  }

  private client(): Promise<Exchange> {
    this.reader ??= (this.o.readClient?.() ?? Promise.resolve(this.o.trading)).catch((e: unknown) => {
      this.reader = null;
      throw e;
    });
    return this.reader;
  }

  /** the traded market's two assets out of the whole account */
  private pick(b: CcxtBalances): AssetBalance[] {
    const one = (asset: string): AssetBalance => {
      const free = Number(b[asset]?.free ?? 0);
      const used = Number(b[asset]?.used ?? 0);
      return { asset, free, used, total: Number(b[asset]?.total ?? free + used) };
    };
    return [one(this.o.rules.base), one(this.o.rules.quote)];
  }
}
