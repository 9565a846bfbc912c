import type {
  BotEvent, BotOperationName, CallerContext, FleetAlert, FleetBot, FleetLink, OperationOutput, Stats, Status,
} from '../../src-shared/contract';
import type { RawInput } from '../app/invoke-operation';

/** What the fleet manager hears from a member. */
export interface MemberListener {
  event(botId: string, event: BotEvent): void;
  /** the row changed (status, P&L, health) */
  changed(botId: string): void;
  alert(alert: Omit<FleetAlert, 'ts'>): void;
}

/** One bot of the fleet, local or remote, behind one shape. */
export interface FleetMember {
  readonly id: string;
  name: string;
  readonly kind: 'local' | 'remote';
  readonly url: string | null;
  readonly link: FleetLink;
  row(): FleetBot;
  /** `raw` is already checked against the operation's schemas; failures throw ServiceError */
  call<N extends BotOperationName>(name: N, raw: RawInput, caller: CallerContext): Promise<OperationOutput<N>>;
  close(): void;
}

/**
 * Today's P&L follows every status (equity moves each candle) without asking for the stats each time: the day's
 * starting equity is what the last stats answer implies, and stays so until the UTC day turns.
 */
export class TodayPnl {
  private dayStartEquity: number | null = null;
  private day = -1;

  fromStats(stats: Pick<Stats, 'equity' | 'today_pnl'>, now: number): void {
    this.dayStartEquity = stats.equity - stats.today_pnl;
    this.day = Math.floor(now / 86_400_000);
  }

  /** null when unknown or when the day turned since the stats were read (the caller refreshes them) */
  of(status: Pick<Status, 'equity'> | null, now: number): number | null {
    if (!status || this.dayStartEquity === null || Math.floor(now / 86_400_000) !== this.day) return null;
    return status.equity - this.dayStartEquity;
  }
}

/** A self-pause (kill switch, exchange failures): paused with a reason, where it was not before. */
export function selfPaused(before: Status | null, now: Status): boolean {
  if (now.state !== 'paused' || now.paused_reason === null || now.paused_reason.startsWith('close-all by')) return false;
  return !(before?.state === 'paused' && before.paused_reason === now.paused_reason);
}
