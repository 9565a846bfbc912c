/** a listener told when the order path becomes busy (true) and idle again (false) */
export type OrderPathListener = (busy: boolean) => void;

/**
 * Whether the bot is on its order path: from a live feed asking for the candle that just closed until the cycle that
 * trades on it has had its orders answered. Monitoring gives way to trading (docs/architecture.md, "Trading before
 * monitoring"): whoever serves readers outside the engine may hold them back while this is busy. The engine only
 * says when; it knows nothing of who listens or what they do.
 */
export class OrderPath {
  private holds = 0;
  private readonly listeners = new Set<OrderPathListener>();

  get busy(): boolean {
    return this.holds > 0;
  }

  /** busy until the returned function is called (once; later calls do nothing). Holds nest: busy while any is held. */
  enter(): () => void {
    if (this.holds++ === 0) this.tell(true);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.holds === 0) this.tell(false);
    };
  }

  /** a switch for one source that may say "on" or "off" more than once: on enters the path once, off leaves it */
  switch(): (on: boolean) => void {
    let leave: (() => void) | null = null;
    return (on) => {
      if (on) leave ??= this.enter();
      else if (leave) {
        leave();
        leave = null;
      }
    };
  }

  onChange(listener: OrderPathListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private tell(busy: boolean): void {
    for (const l of this.listeners) l(busy);
  }
}
