import type { BotMode, BotState, Status } from '../../src-shared/contract';
import type { SqliteStore } from './adapters/sqlite/sqlite.store';

/**
 * The bot's state machine (stopped → running ⇄ paused → stopped) and what a restart must find of it: the state, why
 * and since when it is paused. Written in one transaction with each move, so a kill never leaves half of it.
 */
export class BotLifecycle {
  private current: BotState = 'stopped';
  private startedAt: number | null = null;
  private pausedReason: string | null = null;
  private pausedAt: number | null = null;

  constructor(
    private readonly store: SqliteStore,
    private readonly now: () => number,
  ) {}

  get state(): BotState {
    return this.current;
  }

  /**
   * The state a restart resumes, with its saved pause reason and the moment that pause began. A fresh paper install
   * trades the bundled replay at once; a fresh live one sends nothing until someone starts it.
   */
  saved(mode: BotMode): { state: BotState; reason: string | null; pausedAt: number | null } {
    const saved = this.store.getMeta('bot_state');
    const state = (saved === null ? (mode === 'live' ? 'stopped' : 'running') : saved) as BotState;
    const pausedAt = this.store.getMeta('paused_at');
    return {
      state,
      reason: this.store.getMeta('paused_reason') || null,
      pausedAt: pausedAt === null || pausedAt === '' ? null : Number(pausedAt),
    };
  }

  /**
   * Move to `to` and persist it; returns the state it left. `pausedSince` is when a pause began: now, unless a restart
   * resumes a saved pause, which keeps its own moment.
   */
  move(to: BotState, reason: string | null, pausedSince: number | null = null): BotState {
    const from = this.current;
    this.current = to;
    if (to === 'paused') {
      this.pausedReason = reason || null;
      this.pausedAt = pausedSince ?? this.now();
    } else {
      this.pausedReason = null;
      this.pausedAt = null;
    }
    if (to === 'stopped') this.startedAt = null;
    else if (from === 'stopped' || this.startedAt === null) this.startedAt = this.now();
    this.store.atomically(() => {
      this.store.setMeta('bot_state', to);
      this.store.setMeta('paused_reason', reason ?? '');
      this.store.setMeta('paused_at', String(this.pausedAt ?? ''));
    });
    return from;
  }

  /** the lifecycle's part of /bot/status */
  view(): Pick<Status, 'state' | 'running' | 'started_at' | 'uptime_s' | 'paused_reason' | 'paused_at'> {
    const paused = this.current === 'paused';
    return {
      state: this.current,
      running: this.current !== 'stopped',
      started_at: this.startedAt,
      uptime_s: this.startedAt === null ? 0 : Math.max(0, Math.floor((this.now() - this.startedAt) / 1000)),
      paused_reason: paused ? this.pausedReason : null,
      paused_at: paused ? this.pausedAt : null,
    };
  }
}
