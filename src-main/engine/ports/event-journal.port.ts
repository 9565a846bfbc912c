/** One kept event as the transports replay it: its type (for `?types=`) and its text, nothing more. */
export interface JournaledEvent {
  seq: number;
  type: string;
  json: string;
}

/**
 * Where the event bus keeps what it published, so the stream's `?since=` replay reaches across a restart or a crash
 * (docs/contract.md §5: a client that reconnects loses nothing). Written before an event is delivered.
 */
export interface EventJournal {
  /** the newest `limit` events, oldest first */
  recent(limit: number): JournaledEvent[];
  /** the events with `from` ≤ seq ≤ `to` that it holds, oldest first */
  between(from: number, to: number): JournaledEvent[];
  append(seq: number, json: string): void;
  close(): void;
}
