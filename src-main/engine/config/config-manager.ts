import {
  BotConfigSchema,
  DEFAULT_CONFIG,
  fieldsOf,
  mergeConfigPatch,
  quoteOf,
  type BotConfig,
  type ConfigPatch,
  type ConfigVersion,
} from '../../../src-shared/contract';
import { EngineError } from '../errors';
import type { SqliteStore } from '../adapters/sqlite/sqlite.store';
import { killPoint } from '../kill-points';

export interface ConfigUpdate {
  patch: ConfigPatch;
  actor: string;
  reason?: string;
  /** the version the caller last saw (If-Match) */
  ifMatch?: string;
  /** symbol/timeframe may not change under open positions */
  openPositions: number;
  now: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** If-Match carries a version, bare or as an ETag ("3", W/"3"). */
export function parseIfMatch(header: string): number {
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!m)
    throw new EngineError('invalid', 'If-Match must be a config version number.', { 'If-Match': 'expected a version number such as 3' });
  return Number(m[1]);
}

/**
 * Versioned config: every change is validated whole, written (synchronously, durably) as a new version before it is
 * acknowledged, and picked up by the engine at the start of its next cycle. Nothing is ever half-applied.
 */
export class ConfigManager {
  private snapshot: { config: BotConfig; version: number };
  private readonly listeners = new Set<(v: ConfigVersion) => void>();

  constructor(
    private readonly store: SqliteStore,
    now: number,
    initial: BotConfig = DEFAULT_CONFIG,
  ) {
    const latest = store.latestConfigVersion();
    if (latest) {
      // fields added since this data directory was written already took their defaults (withConfigDefaults)
      this.snapshot = { config: latest.config, version: latest.version };
    } else {
      const config = BotConfigSchema.parse(initial);
      store.insertConfigVersion({ version: 1, created_at: now, actor: 'startup', reason: 'initial config', changes: [], config });
      this.snapshot = { config, version: 1 };
    }
  }

  /** what a cycle reads: replaced whole on every change, never mutated */
  get current(): { config: BotConfig; version: number } {
    return this.snapshot;
  }

  /**
   * A rule that needs the world outside the config (e.g. the exchange lists the symbol): checked before a change is
   * committed; a non-null answer names each bad field and nothing is applied.
   */
  addCheck(check: (next: BotConfig, current: BotConfig) => Record<string, string> | null): void {
    this.checks.push(check);
  }
  private readonly checks: ((next: BotConfig, current: BotConfig) => Record<string, string> | null)[] = [];

  onChange(listener: (v: ConfigVersion) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(u: ConfigUpdate): ConfigVersion {
    if (u.ifMatch !== undefined && parseIfMatch(u.ifMatch) !== this.snapshot.version) {
      throw new EngineError(
        'conflict',
        `The config changed since you read it: it is now version ${this.snapshot.version}. Reload and try again.`,
      );
    }
    const merged = BotConfigSchema.safeParse(mergeConfigPatch(this.snapshot.config, u.patch));
    if (!merged.success) {
      const fields = fieldsOf(merged.error, 'config');
      throw new EngineError('invalid', `Invalid config: ${Object.keys(fields).join(', ')}.`, fields);
    }
    const next = merged.data as BotConfig;
    this.checkStake(next); // first: closing positions would not lift it
    if (u.openPositions > 0) {
      const moved = (['symbol', 'timeframe'] as const).filter((k) => next[k] !== this.snapshot.config[k]);
      if (moved.length) {
        throw new EngineError(
          'conflict',
          `Cannot change ${moved.join(' and ')} while ${u.openPositions} position(s) are open; close them first.`,
          Object.fromEntries(moved.map((k) => [k, 'cannot change while positions are open'])),
        );
      }
    }
    for (const check of this.checks) {
      const fields = check(next, this.snapshot.config);
      if (fields) throw new EngineError('invalid', `Invalid config: ${Object.values(fields).join('; ')}.`, fields);
    }
    return this.commit(next, u.actor, u.reason ?? 'update', u.now);
  }

  rollback(version: number, actor: string, openPositions: number, now: number): ConfigVersion {
    const target = this.store.configVersion(version);
    if (!target) throw new EngineError('not_found', `There is no config version ${version}.`);
    return this.update({ patch: target.config, actor, reason: `rollback to version ${version}`, openPositions, now });
  }

  history(limit: number): ConfigVersion[] {
    return this.store.configVersions(limit);
  }

  /**
   * One stake currency per data directory (docs/contract.md §9): once an order was sent, every figure kept is in its quote,
   * so the quote and the paper account's start stay as they are.
   */
  private checkStake(next: BotConfig): void {
    const current = this.snapshot.config;
    const [was, now] = [quoteOf(current.symbol), quoteOf(next.symbol)];
    const quoteMoved = was !== now;
    const balanceMoved = next.paper_balance !== current.paper_balance;
    if (!quoteMoved && !balanceMoved) return;
    if (this.store.lastIds().order === 0) return;
    if (quoteMoved) {
      throw new EngineError(
        'conflict',
        `This data directory trades in ${was} (its stake currency since its first order), so symbol must be a ${was} market; to trade ${next.symbol}, start BotDesk on another data directory (BOT_DATA_DIR).`,
        { symbol: `must be a ${was} market (the stake currency of this data directory)` },
      );
    }
    throw new EngineError(
      'conflict',
      'paper_balance can change only before the first order; to start over with another balance, use another data directory (BOT_DATA_DIR).',
      { paper_balance: 'cannot change after the first order' },
    );
  }

  private commit(config: BotConfig, actor: string, reason: string, now: number): ConfigVersion {
    const prev = this.snapshot.config;
    const changes = (Object.keys(config) as (keyof BotConfig)[])
      .filter((k) => !same(prev[k], config[k]))
      .map((k) => ({ field: k, from: prev[k], to: config[k] }));
    if (changes.length === 0) return this.store.configVersion(this.snapshot.version) as ConfigVersion; // nothing to record
    const entry: ConfigVersion = { version: this.snapshot.version + 1, created_at: now, actor, reason, changes, config };
    this.store.insertConfigVersion(entry); // durable before anyone is told
    killPoint('config-written');
    this.snapshot = { config, version: entry.version };
    for (const l of this.listeners) l(entry);
    return entry;
  }
}
