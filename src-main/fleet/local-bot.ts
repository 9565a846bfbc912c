/** "This computer": the runtime's own bot as a fleet member, called in-process through the same operation handlers. */
import type {
  BotOperationHandlers,
  BotOperationName,
  CallerContext,
  FleetBot,
  OperationHandlers,
  OperationOutput,
  Status,
} from '../../src-shared/contract';
import { LOCAL_BOT_ID } from '../../src-shared/contract';
import { runOperation, type RawInput } from '../operations/invoke-operation';
import type { EventFeed } from '../engine/events/event-bus';
import { eventAlert, type FleetMember, type MemberListener } from './fleet-member';

const NO_INPUT = { params: undefined, query: undefined, body: undefined };
const HUB = { actor: 'fleet' };

export class LocalBot implements FleetMember {
  readonly id = LOCAL_BOT_ID;
  readonly kind = 'local' as const;
  readonly url = null;
  readonly link = 'local' as const;
  private lastEventAt: number | null = null;
  private lastSeq: number | null = null;
  private lastStatus: Status | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    public name: string,
    private readonly handlers: BotOperationHandlers,
    events: EventFeed,
    listener: MemberListener,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = events.subscribe((e) => {
      if (e.type === 'fleet') return;
      this.lastEventAt = this.now();
      this.lastSeq = e.seq;
      listener.event(this.id, e);
      const alert = eventAlert(this, this.lastStatus, e);
      if (alert) listener.alert(alert);
      if (e.type === 'status_change') this.lastStatus = e.data;
      if (e.type === 'status_change' || e.type === 'trade') listener.changed(this.id);
    });
  }

  row(): FleetBot {
    // equity and today's P&L as one status marks them (the dashboard's and the tray's figures)
    const status = this.handlers.getStatus(NO_INPUT, HUB) as Status;
    return {
      id: this.id,
      name: this.name,
      kind: 'local',
      url: null,
      link: 'local',
      status,
      today_pnl: status.today_pnl,
      health: { connection: 'local', latency_ms: null, last_event_at: this.lastEventAt, last_seq: this.lastSeq, error: null },
    };
  }

  async call<N extends BotOperationName>(name: N, raw: RawInput, caller: CallerContext): Promise<OperationOutput<N>> {
    return runOperation(this.handlers as OperationHandlers, name, raw, caller);
  }

  close(): void {
    this.unsubscribe();
  }
}
