import type {
  BotEvent,
  BotOperationName,
  CallerContext,
  FleetAlert,
  FleetBot,
  FleetLink,
  OperationOutput,
  Status,
} from '../../src-shared/contract';
import type { RawInput } from '../operations/invoke-operation';
import { becameSelfPaused } from '../../src-shared/pause-reasons';

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
 * What a member's own event tells the fleet: the bot paused itself (kill switch, exchange failures; never a person's
 * pause or close-all), or reported an error. `before` is the member's last status.
 */
export function eventAlert(member: { id: string; name: string }, before: Status | null, e: BotEvent): Omit<FleetAlert, 'ts'> | null {
  const { id: bot_id, name } = member;
  if (e.type === 'status_change' && becameSelfPaused(before, e.data))
    return { bot_id, name, kind: 'paused', message: `${name} paused itself: ${e.data.paused_reason}` };
  if (e.type === 'error') return { bot_id, name, kind: 'error', message: `${name}: ${e.data.message}` };
  return null;
}
