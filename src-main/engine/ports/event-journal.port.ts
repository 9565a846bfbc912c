/**
 * Where the event bus keeps what it published, so the stream's `?since=` replay reaches across a restart or a crash
 * (docs/contract.md §5: a client that reconnects loses nothing). Written before an event is delivered.
 */
export interface EventJournal {
  /** the newest `limit` events, oldest first */
  recent(limit: number): { seq: number; json: string }[];
  append(seq: number, json: string): void;
  close(): void;
}
