import type { BotEvent, EventData, EventType } from '../../../src-shared/contract';
import { needsRedaction, redactValue } from '../log/redact';
import type { EventJournal } from '../ports/event-journal.port';
import { TextRing } from './text-ring';

export type EventListener = (event: BotEvent, json: string) => void;

/** An event as a replay hands it out: the type (for `?types=`) and the text sent, not the parsed event. */
export interface BufferedEvent {
  seq: number;
  type: EventType;
  json: string;
}

/** events held in memory (docs/contract.md §5 promises the last 1,000; fewer fit when they are large, and the bot's
 * stream then reads the rest from its journal) */
export const EVENTS_HELD = 1000;
/** with a journal, a replay reaches this far back, read from disk beyond what is held in memory */
export const EVENTS_REPLAYED_FROM_JOURNAL = 5000;
/** the held events' texts share this many bytes (~1,000 status events of ~550 bytes fit with room to spare) */
const RING_BYTES = 1 << 20;

/** What transports (WebSocket, IPC) need: live events and a replay buffer, each serialised once. */
export interface EventFeed {
  readonly lastSeq: number;
  /** buffered events with seq > `seq`, oldest first */
  since(seq: number): BufferedEvent[];
  /**
   * `first`: heard before every listener without it. For transports that only copy the event out (a socket, the IPC
   * channel), so what a person waits for leaves before in-process consumers (the fleet, the tray) do their own work.
   */
  subscribe(listener: EventListener, o?: { first?: boolean }): () => void;
}

/**
 * In-process event bus with a monotonically increasing `seq` and the newest events' texts held for `?since=` replay
 * (text-ring.ts: no parsed events, no strings, so holding them makes no garbage); what it hands out is redacted
 * (log/redact.ts). A ring of 5,000 parsed events took the default replay (one or two events a second) over an hour to
 * fill, so resident memory kept rising for that hour (docs/benchmarks.md, memory). With a journal, older events (up to
 * `replayDepth`) are read back from it instead of being held.
 * A throwing listener is isolated so one broken consumer cannot stop the bot.
 */
export class EventBus implements EventFeed {
  private seq = 0;
  private readonly ring: TextRing;
  private readonly listeners = new Set<EventListener>();
  private readonly firstListeners = new Set<EventListener>();
  /** events published by a listener while another event is being delivered wait here, so every consumer sees seq order */
  private readonly queued: { event: BotEvent; json: string }[] = [];
  private delivering = false;

  constructor(
    capacity = EVENTS_HELD,
    private readonly now: () => number = Date.now,
    /** keeps every event; the bus starts where the journal ends, with its newest events ready for `since` */
    private readonly journal?: EventJournal,
    /** how far back `since` reaches: what the ring holds, or further through the journal */
    private readonly replayDepth = journal ? Math.max(capacity, EVENTS_REPLAYED_FROM_JOURNAL) : capacity,
  ) {
    this.ring = new TextRing(capacity, RING_BYTES);
    for (const kept of journal?.recent(capacity) ?? []) {
      this.ring.put(kept.seq, kept.type, kept.json);
      this.seq = kept.seq;
    }
  }

  /** events held in memory for replay (at most `capacity`) */
  get held(): number {
    return this.ring.held;
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
    // kept before anyone hears of it: an event a client saw is one a restarted bot can replay
    this.journal?.append(event.seq, json);
    this.ring.put(event.seq, type, json);
    this.queued.push({ event, json });
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

  since(seq: number): BufferedEvent[] {
    const from = Math.max(seq + 1, this.seq - this.replayDepth + 1, 1);
    const firstHeld = Math.min(this.ring.firstHeld, this.seq + 1);
    // what the ring no longer holds comes from the journal, in the same synchronous call (no event can slip between)
    const out = from < firstHeld && this.journal ? (this.journal.between(from, firstHeld - 1) as BufferedEvent[]) : [];
    for (let s = Math.max(from, firstHeld); s <= this.seq; s++) {
      const entry = this.ring.get(s) as BufferedEvent | undefined;
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
