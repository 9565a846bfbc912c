import type { OperationName } from '../../src-shared/contract';

/** For each cacheable operation, a number that moves whenever its answers may change (e.g. a write counter). */
export type AnswerVersions = Partial<Record<OperationName, () => number>>;

/**
 * Serialized answers of read operations whose output depends only on the query and on data that changes at known
 * moments (the trade list, the equity curve). Every poller of the same page (the dashboard, scripts, a monitor) shares
 * one query, validation and serialisation per change instead of paying for it per request. Small and first-in
 * first-out: a few pages are polled, the rest are looked at once.
 */
export class AnswerCache {
  private readonly entries = new Map<string, { version: number; body: Buffer }>();

  constructor(
    private readonly versions: AnswerVersions,
    private readonly capacity = 64,
  ) {}

  /** the operation's current version; undefined when it is not cached */
  versionOf(name: OperationName): number | undefined {
    return this.versions[name]?.();
  }

  /** the bytes as sent (encoded once: a page of trades is tens of kilobytes) */
  get(key: string, version: number): Buffer | undefined {
    const hit = this.entries.get(key);
    return hit && hit.version === version ? hit.body : undefined;
  }

  set(key: string, version: number, body: Buffer): void {
    this.entries.delete(key);
    this.entries.set(key, { version, body });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
