import type { Job, JobKind, JobState } from '../../../src-shared/contract';
import type { SqlDatabase, SqlStatement } from '../adapters/sqlite/sql-driver';

interface JobRow {
  id: number;
  kind: JobKind;
  state: JobState;
  progress: number;
  created_at: number;
  finished_at: number | null;
  request: string;
  error: string | null;
  result?: string | null;
}

/** what a job that was running when BotDesk stopped says after the restart */
export const INTERRUPTED = 'interrupted: BotDesk stopped while it ran (run it again; a download resumes where it stopped)';

/** Jobs and their results in the lab database: a result is written with the job's last state, in one statement. */
export class JobStore {
  private readonly stmt: Record<string, SqlStatement>;

  constructor(db: SqlDatabase) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO jobs (kind, state, progress, created_at, request) VALUES (?, 'queued', 0, ?, ?)`),
      get: db.prepare(`SELECT * FROM jobs WHERE id = ?`),
      list: db.prepare(
        `SELECT id, kind, state, progress, created_at, finished_at, request, error FROM jobs
         WHERE (@kind IS NULL OR kind = @kind) AND (@state IS NULL OR state = @state) ORDER BY id DESC LIMIT @limit`,
      ),
      start: db.prepare(`UPDATE jobs SET state = 'running' WHERE id = ? AND state = 'queued'`),
      finish: db.prepare(
        `UPDATE jobs SET state = @state, progress = @progress, finished_at = @at, error = @error, result = @result WHERE id = @id`,
      ),
      interrupted: db.prepare(`UPDATE jobs SET state = 'failed', finished_at = @at, error = @error WHERE state IN ('queued', 'running')`),
    };
  }

  create(kind: JobKind, request: Record<string, unknown>, now: number): Job {
    const id = Number(this.stmt.insert.run(kind, now, JSON.stringify(request)).lastInsertRowid);
    return this.get(id) as Job;
  }

  get(id: number): Job | undefined {
    const row = this.stmt.get.get(id) as JobRow | undefined;
    return row && toJob(row, true);
  }

  list(q: { kind?: JobKind; state?: JobState; limit: number }): Job[] {
    return (this.stmt.list.all({ kind: q.kind ?? null, state: q.state ?? null, limit: q.limit }) as JobRow[]).map((r) => toJob(r, false));
  }

  markRunning(id: number): void {
    this.stmt.start.run(id);
  }

  finish(id: number, f: { state: 'done' | 'failed' | 'cancelled'; progress: number; at: number; error?: string; result?: unknown }): void {
    this.stmt.finish.run({
      id,
      state: f.state,
      progress: f.progress,
      at: f.at,
      error: f.error ?? null,
      result: f.result === undefined ? null : JSON.stringify(f.result),
    });
  }

  /** at start: a job left queued or running by a stop or a crash failed (never stays running); how many */
  failInterrupted(now: number): number {
    return Number(this.stmt.interrupted.run({ at: now, error: INTERRUPTED }).changes);
  }
}

function toJob(r: JobRow, withResult: boolean): Job {
  const job: Job = {
    id: r.id,
    kind: r.kind,
    state: r.state,
    progress: r.progress,
    created_at: r.created_at,
    finished_at: r.finished_at,
    request: JSON.parse(r.request) as Record<string, unknown>,
    error: r.error,
  };
  if (withResult && r.result) job.result = JSON.parse(r.result) as Job['result'];
  return job;
}
