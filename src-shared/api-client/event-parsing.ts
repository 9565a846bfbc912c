import { BotEventSchema, type BotEvent } from '../contract';

/** Frames from the server are untrusted input: anything that is not a well-formed event is dropped. */
export function parseEvent(raw: unknown): BotEvent | null {
  const result = BotEventSchema.safeParse(raw);
  return result.success ? (result.data as BotEvent) : null;
}

/**
 * Drops events already seen. A replay after reconnect may overlap what arrived live, so only a seq greater than the
 * last one passes. A server restart resets its counter: `reset` is called for a fresh connection that starts lower.
 */
export class SeqFilter {
  private last = 0;

  get lastSeq(): number {
    return this.last;
  }

  accept(seq: number): boolean {
    if (seq <= this.last) return false;
    this.last = seq;
    return true;
  }

  reset(): void {
    this.last = 0;
  }
}
