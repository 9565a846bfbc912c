import type { Logger } from '../log/logger';

/** a live account is read at least this often (and after each fill): money moved by hand shows within a minute */
const ACCOUNT_READ_EVERY_MS = 60_000;

/**
 * When the bot reads a live account (docs/contract.md §9): after each fill, once a minute, and on request. Reads run
 * on the bot's serial chain, between cycles, and a read already asked for is not asked again. Paper has no account to
 * read: every call is a no-op.
 */
export class LiveAccountReads {
  private timer: NodeJS.Timeout | null = null;
  private asked = false;
  private closed = false;

  constructor(
    private readonly o: {
      live: boolean;
      everyMs?: number;
      serial(fn: () => Promise<void>): Promise<void>;
      /** fills of resting stops the watcher has not reported yet, booked first: else they look like coins sold by hand */
      reconcile(): unknown;
      /** read the account; true when the figures changed */
      read(): Promise<boolean>;
      changed(): void;
      logger: Logger;
    },
  ) {}

  start(): void {
    if (!this.o.live || this.timer) return;
    this.timer = setInterval(() => this.soon(), this.o.everyMs ?? ACCOUNT_READ_EVERY_MS);
    this.timer.unref?.();
  }

  /** read next, between cycles */
  soon(): void {
    if (!this.o.live || this.asked || this.closed) return;
    this.asked = true;
    this.now().catch((e) => this.o.logger.warn(`reading the account failed: ${(e as Error).message}`));
  }

  /** read now (between cycles): fills first, then what moved without the bot */
  now(): Promise<void> {
    return this.o.serial(async () => {
      this.asked = false;
      if (!this.o.live || this.closed) return;
      await this.o.reconcile();
      if (await this.o.read()) this.o.changed();
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }
}
