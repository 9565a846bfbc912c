import { ERROR_CODES } from '../../src-shared/contract';
import type { EventBus } from './events/event-bus';
import type { Logger } from './log/logger';
import type { SqliteStore } from './adapters/sqlite/sqlite.store';
import type { ExchangePort, MarketRules } from './ports/exchange.port';
import type { Executor } from './execution/executor';
import { accountFindings } from './execution/account-check';
import { killPoint } from './kill-points';

/**
 * Where a restarted bot resumes: after the last candle acted on. The cursor is written after each cycle; an order
 * stamped later (a crash between the two) proves its candle was already processed, so never replay that one.
 */
export function resumeAfter(store: SqliteStore, timeframeMs: number): number | null {
  const cursor = store.getMeta('last_candle_ts');
  const lastOrder = store.lastOrderTime();
  const fromOrders = lastOrder === null ? null : lastOrder - timeframeMs;
  const lastTs = cursor === null && fromOrders === null ? null : String(Math.max(Number(cursor ?? -Infinity), fromOrders ?? -Infinity));
  return lastTs === null ? null : Number(lastTs);
}

/**
 * Match the journal with the exchange: orders whose end we do not know, open positions' protection, and (live) what
 * the account holds that nothing explains. At start, and whenever a live exchange answers again after failures; the
 * bot runs it on its serial chain.
 */
export class Reconciliation {
  /** findings of reconciliation that need a person (shown in the status, never acted on) */
  readonly attention: string[] = [];

  constructor(private readonly o: { executor: Executor; exchange: ExchangePort; rules: MarketRules; logger: Logger; events: EventBus }) {}

  /** `price`: the market now (the last candle's close) */
  async run(after: 'restart' | 'reconnect', price: number): Promise<void> {
    const r = await this.o.executor.reconcile(price, { sweep: true });
    killPoint('reconciled');
    if (r.adopted || r.failed || r.protectedAgain || r.strays || after === 'reconnect')
      this.o.logger.info(`reconciled with the exchange after a ${after}`, r);
    if (!this.o.exchange.openClientOrderIds) return;
    this.attention.length = 0; // each reconciliation states what is still true
    for (const finding of await accountFindings({ exchange: this.o.exchange, executor: this.o.executor, rules: this.o.rules, price }))
      this.needsAttention(finding);
  }

  private needsAttention(finding: string): void {
    this.attention.push(finding);
    this.o.logger.warn(`reconciliation: ${finding}`);
    this.o.events.publish('error', { code: ERROR_CODES.reconcile, message: finding });
  }
}
