import { quoteOf, type BotConfig } from '../../../src-shared/contract';
import type { Logger } from '../log/logger';
import type { ExchangePort, MarketRules } from '../ports/exchange.port';
import type { PositionRecord } from '../ports/journal.port';
import type { Executor } from '../execution/executor';
import type { TradingCore } from '../trading-core';
import type { AccountLedger } from './account-ledger';
import { accountDrift } from './account-drift';

/**
 * Keeps the bot's money in step with its account (docs/contract.md §9): reads a live account and books what moved without the
 * bot as cash flows, restarts a paper account whose start changed before its first order, and takes dust off the
 * books. Answers whether the figures changed, so the bot can say so.
 */
export class AccountKeeper {
  constructor(
    private readonly o: {
      mode: 'paper' | 'live';
      store: { lastIds(): { order: number } };
      exchange: Pick<ExchangePort, 'assetBalances' | 'resetFunds'>;
      rules: MarketRules;
      core: TradingCore;
      executor: Executor;
      ledger: AccountLedger;
      logger: Logger;
      now: () => number;
    },
  ) {}

  /**
   * Live equity is the account (docs/contract.md §9): its two assets at the last price. Before the first order the reading is
   * the start; after it, what no order explains is a cash flow, kept apart from P&L.
   */
  async read(): Promise<boolean> {
    const { rules, store, core, executor, ledger } = this.o;
    if (executor.pendingOrders().length) return false; // an entry or exit in flight: its fill is not booked yet
    const [base, quote] = await this.o.exchange.assetBalances(rules.symbol);
    const price = core.lastPrice;
    if (!Number.isFinite(price) && base.total > 0) return false; // coins cannot be valued without a price yet
    const value = (amount: number) => (amount === 0 ? 0 : amount * price);
    // no order yet (or a start never read: nothing better is known): the account is the start
    if (store.lastIds().order === 0 || !ledger.startKnown) {
      const was = ledger.startKnown ? core.equity : null;
      ledger.rebase(quote.total + value(base.total), { base: base.total, basis: value(base.total) });
      core.rebase(ledger.cashBase, ledger.holdings.base);
      if (was !== core.equity)
        this.o.logger.info(
          `account: ${quote.total} ${rules.quote} and ${base.total} ${rules.base}, worth ${core.equity} ${rules.quote} (the start, until the first order)`,
        );
      return true;
    }
    const drift = accountDrift({
      expected: { quote: core.freeCash, base: executor.openAmount + ledger.holdings.base },
      actual: { quote: quote.total, base: base.total },
      price,
      rules,
      holdings: ledger.holdings,
      ts: this.o.now(),
    });
    if (!drift) return false;
    const flows = ledger.record(drift.flows, drift.holdings);
    core.moveMoney(
      ledger.cashBase,
      ledger.holdings.base,
      flows.reduce((sum, f) => sum + f.value, 0),
    );
    for (const f of flows) {
      // a log record (the event stream carries it): the contract's event types stay as they are
      this.o.logger.info(
        `cash flow (${f.kind}): ${f.amount} ${f.asset} worth ${f.value} ${rules.quote} moved without an order of the bot; not counted as P&L`,
        { cash_flow_id: f.id },
      );
    }
    return true;
  }

  /** A paper account whose start or currency changed before its first order starts again with the new balance. */
  restartPaper(config: BotConfig): boolean {
    const { core, ledger } = this.o;
    if (this.o.mode !== 'paper' || this.o.store.lastIds().order > 0 || !this.o.exchange.resetFunds) return false;
    this.o.exchange.resetFunds(config.paper_balance);
    ledger.rebase(config.paper_balance);
    core.rebase(ledger.cashBase, 0);
    this.o.logger.info(`paper account: ${config.paper_balance} ${quoteOf(config.symbol)}`);
    return true;
  }

  /** A dust position off the books; its coins and their cost join the holdings, so equity does not move. */
  writeOff(positionId: number): PositionRecord | null {
    const { core, executor, ledger } = this.o;
    const p = executor.writeOff(positionId);
    if (!p) return null;
    const { base, basis } = ledger.holdings;
    ledger.record([], { base: base + p.amount, basis: basis + p.amount * p.entry_price + p.entry_fee });
    core.setAccount(ledger.cashBase, ledger.holdings.base);
    return p;
  }
}
