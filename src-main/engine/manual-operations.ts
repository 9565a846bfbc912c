import type { Position, Trade } from '../../src-shared/contract';
import type { Executor } from './execution/executor';
import type { MaybePromise } from './ports/exchange.port';
import type { TradingCore } from './trading-core';
import { killPoint } from './kill-points';

/** what closing one position by hand came to */
export type CloseOutcome =
  | { kind: 'closed'; trade: Trade }
  | { kind: 'partial'; sold: number; left: number; held: number }
  | { kind: 'dust'; amount: number }
  | { kind: 'not_found' }
  | { kind: 'not_closed' };

/**
 * What a person does by hand, as outcomes in the engine's words (the operations layer picks the HTTP status for
 * each). Callers run these through the bot's serial chain, so they never interleave with a cycle.
 */
export class ManualOperations {
  constructor(private readonly o: { executor: Executor; core: TradingCore; writeOff: (positionId: number) => boolean }) {}

  /** A person's entry at market with the config's stop-loss and take-profit. */
  async enter(
    sizePct?: number,
  ): Promise<{ ok: true; position: Position } | { ok: false; conflict: string } | { ok: false; refused: string }> {
    const r = await this.o.core.manualEntry(sizePct);
    return r.ok ? { ok: true, position: this.o.executor.toPosition(r.position, r.position.entry_price) } : r;
  }

  /** Close one position at market: the trade, or why not (not held, dust the exchange would refuse, sold in part). */
  async close(id: number): Promise<CloseOutcome> {
    const position = this.o.executor.getPosition(id);
    if (!position) return { kind: 'not_found' };
    if (this.o.executor.isDust(position)) return { kind: 'dust', amount: position.amount };
    const held = position.amount;
    const trade = await this.o.executor.exit(id, 'manual');
    if (trade) return { kind: 'closed', trade };
    const left = this.o.executor.getPosition(id)?.amount;
    // the market exit filled in part: that part is a trade, the rest keeps its protection
    return left !== undefined && left < held ? { kind: 'partial', sold: held - left, left, held } : { kind: 'not_closed' };
  }

  /** Every position at market (a part sold is a trade too); what is left open after it. */
  async closeAll(): Promise<{ closed: Trade[]; left: number }> {
    killPoint('close-all');
    const closed = await this.o.executor.exitAll('close_all');
    return { closed, left: this.o.executor.openPositionCount };
  }

  cancelPending(): MaybePromise<number> {
    return this.o.executor.cancelPending();
  }

  /** Take a dust position off the books, or say why not. */
  writeOffDust(id: number): 'not_found' | 'not_dust' | 'written_off' {
    const p = this.o.executor.getPosition(id);
    if (!p) return 'not_found';
    if (!this.o.executor.isDust(p)) return 'not_dust';
    return this.o.writeOff(id) ? 'written_off' : 'not_dust';
  }
}
