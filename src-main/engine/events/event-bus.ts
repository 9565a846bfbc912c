import type { BotEvent, EventData, EventType } from '../../../src-shared/contract';
import { needsRedaction, redactValue } from '../log/redact';
import type { EventJournal } from '../ports/event-journal.port';

export type EventListener = (event: BotEvent, json: string) => void;

/** What transports (WebSocket, IPC) need: live events and a replay buffer, each serialised once. */
export interface EventFeed {
  readonly lastSeq: number;
  /** buffered events with seq > `seq`, oldest first */
  since(seq: number): { event: BotEvent; json: string }[];
  /**
   * `first`: heard before every listener without it. For transports that only copy the event out (a socket, the IPC
   * channel), so what a person waits for leaves before in-process consumers (the fleet, the tray) do their own work.
   */
  subscribe(listener: EventListener, o?: { first?: boolean }): () => void;
}

/**
 * In-process event bus with a monotonically increasing `seq` and a ring buffer for `?since=` replay; what it hands
 * out is redacted (log/redact.ts).
 * A throwing listener is isolated so one broken consumer cannot stop the bot.
 */
export class EventBus implements EventFeed {
  private seq = 0;
  /** circular replay buffer: slot (seq − 1) % capacity holds event `seq` */
  private readonly ring: ({ event: BotEvent; json: string } | undefined)[];
  private readonly listeners = new Set<EventListener>();
  private readonly firstListeners = new Set<EventListener>();
  /** events published by a listener while another event is being delivered wait here, so every consumer sees seq order */
  private readonly queued: { event: BotEvent; json: string }[] = [];
  private delivering = false;

  constructor(
    private readonly capacity = 5000,
    private readonly now: () => number = Date.now,
    /** keeps every event; the bus starts where the journal ends, with its newest events ready for `since` */
    private readonly journal?: EventJournal,
  ) {
    this.ring = new Array(capacity);
    for (const { seq, json } of journal?.recent(capacity) ?? []) {
      this.ring[(seq - 1) % capacity] = { event: JSON.parse(json) as BotEvent, json };
      this.seq = seq;
    }
  }

  get lastSeq(): number {
    return this.seq;
  }

  publish<T extends EventType>(type: T, data: EventData<T>): BotEvent {
    let event = { type, ts: this.now(), seq: ++this.seq, data } as BotEvent;
    let json = JSON.stringify(event);
    // every event passes here (live, replay, notifications, fleet): none carries a secret or a URL's query, whoever published it
    if (needsRedaction(json)) {
      event = redactValue(event);
      json = JSON.stringify(event);
    }
    const entry = { event, json };
    // kept before anyone hears of it: an event a client saw is one a restarted bot can replay
    this.journal?.append(event.seq, json);
    this.ring[(this.seq - 1) % this.capacity] = entry;
    this.queued.push(entry);
    if (this.delivering) return event;
    this.delivering = true;
    try {
      for (let i = 0; i < this.queued.length; i++) {
        const next = this.queued[i];
        deliver(this.firstListeners, next);
        deliver(this.listeners, next);
      }
    } finally {
      this.queued.length = 0;
      this.delivering = false;
    }
    return event;
  }

  since(seq: number): { event: BotEvent; json: string }[] {
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    const out: { event: BotEvent; json: string }[] = [];
    for (let s = Math.max(seq + 1, oldest); s <= this.seq; s++) {
      const entry = this.ring[(s - 1) % this.capacity];
      if (entry) out.push(entry); // a journal may miss a few after a power cut (event-journal.ts)
    }
    return out;
  }

  subscribe(listener: EventListener, o: { first?: boolean } = {}): () => void {
    const set = o.first ? this.firstListeners : this.listeners;
    set.add(listener);
    return () => set.delete(listener);
  }
}

function deliver(listeners: ReadonlySet<EventListener>, entry: { event: BotEvent; json: string }): void {
  for (const listener of listeners) {
    try {
      listener(entry.event, entry.json);
    } catch {
      // a consumer's bug must not reach the trading loop
    }
  }
}
