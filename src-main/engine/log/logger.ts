import { LOG_LEVELS, type LogLevel, type LogRecord } from '../../../src-shared/contract';
import { addSecret, redact, REDACTED } from './redact';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const levelRank = (level: LogLevel): number => RANK[level];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** newest records at or above `level`, newest first */
  tail(level: LogLevel, limit: number): LogRecord[];
  /** strings that must never appear in any record, event or notification (tokens, exchange keys): see redact.ts */
  addSecret(secret: string): void;
}

export type LogSink = (record: LogRecord) => void;

/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEY = /(secret|token|password|api_?key|authorization|signature)/i;

/**
 * Structured logger with a bounded in-memory tail (served by GET /bot/logs) and pluggable sinks
 * (stderr, the log event, SQLite). Secrets are redacted before a record exists, so no sink can leak them.
 */
export interface RestorableLogger extends Logger {
  addSink(s: LogSink): void;
  /** put records kept from the previous run (oldest first) under the tail */
  restore(records: readonly LogRecord[]): void;
  /** records written or restored so far: `tail` can only answer differently after this moves */
  readonly written: number;
}

/**
 * The newest records of one level, oldest overwritten first. Each record carries a sequence number so the rings of
 * several levels merge back into one newest-first list.
 */
class LevelRing {
  private readonly records: LogRecord[] = [];
  private readonly seqs: number[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}
  get size(): number {
    return this.records.length;
  }
  push(record: LogRecord, seq: number): void {
    if (this.records.length < this.capacity) {
      this.records.push(record);
      this.seqs.push(seq);
      return;
    }
    this.records[this.next] = record;
    this.seqs[this.next] = seq;
    this.next = (this.next + 1) % this.capacity;
  }
  /** i-th newest (0 = newest) */
  seqAt(i: number): number {
    return this.seqs[this.slot(i)];
  }
  recordAt(i: number): LogRecord {
    return this.records[this.slot(i)];
  }
  private slot(i: number): number {
    const n = this.records.length;
    return ((((this.records.length < this.capacity ? n : this.next) - 1 - i) % n) + n) % n;
  }
}

export function createLogger(opts: { level?: LogLevel; capacity?: number; sinks?: LogSink[]; now?: () => number } = {}): RestorableLogger {
  const min = RANK[opts.level ?? 'info'];
  const capacity = opts.capacity ?? 2000;
  const now = opts.now ?? Date.now;
  const sinks = [...(opts.sinks ?? [])];
  // one ring per level: a flood of debug lines never pushes the last errors out, and `tail` reads only what it returns
  const rings = new Map<LogLevel, LevelRing>(LOG_LEVELS.map((l) => [l, new LevelRing(capacity)]));
  let seq = 0;
  /** lowest sequence number handed out (restored records count down from 0) */
  let oldest = 0;
  const clean = (v: unknown, depth = 0): unknown => {
    if (typeof v === 'string') return redact(v);
    if (v instanceof Error) return redact(v.message);
    if (v === null || typeof v !== 'object' || depth > 4) return v;
    if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? REDACTED : clean(x, depth + 1);
    return out;
  };

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    // the record's own fields first, in the order GET /bot/logs writes them, so a page of records is already in the
    // answer's shape and is written whole by JSON.stringify rather than field by field (docs/benchmarks.md cold-reads);
    // fields named like them are left out, as they were overwritten before
    const { ts: _ts, level: _level, msg: _msg, ...extra } = fields ? (clean(fields) as Record<string, unknown>) : {};
    const record: LogRecord = { ts: now(), level, msg: redact(msg), ...extra };
    rings.get(level)!.push(record, seq++);
    for (const sink of sinks) {
      try {
        sink(record);
      } catch {
        // a failing sink must not break logging
      }
    }
  };

  return {
    get written() {
      return seq - oldest;
    },
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    tail(level, limit) {
      // merge the rings of the levels asked for, newest first: O(limit × levels) whatever the history
      const floor = RANK[level];
      const from = LOG_LEVELS.filter((l) => RANK[l] >= floor).map((l) => rings.get(l)!);
      const at = from.map(() => 0);
      const out: LogRecord[] = [];
      while (out.length < limit) {
        let pick = -1;
        for (let r = 0; r < from.length; r++) {
          if (at[r] < from[r].size && (pick < 0 || from[r].seqAt(at[r]) > from[pick].seqAt(at[pick]))) pick = r;
        }
        if (pick < 0) break;
        out.push(from[pick].recordAt(at[pick]++));
      }
      return out;
    },
    addSecret,
    addSink(s) {
      sinks.push(s);
    },
    restore(records) {
      // records from before a restart go under the new ones (lower sequence numbers), without passing through the sinks again
      const kept = records.filter((r) => RANK[r.level] >= min);
      oldest -= kept.length;
      for (const level of LOG_LEVELS) {
        const ring = rings.get(level)!;
        const fresh = new LevelRing(capacity);
        kept.forEach((r, k) => {
          if (r.level === level) fresh.push(r, oldest + k);
        });
        for (let i = ring.size - 1; i >= 0; i--) fresh.push(ring.recordAt(i), ring.seqAt(i));
        rings.set(level, fresh);
      }
    },
  };
}

/** One readable line per record for a terminal: `12:00:01 INFO  message {fields}` */
export function formatLine(r: LogRecord): string {
  const { ts, level, msg, ...rest } = r;
  const time = new Date(ts).toISOString().slice(11, 19);
  const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
  return `${time} ${level.toUpperCase().padEnd(5)} ${msg}${extra}`;
}

export const isLogLevel = (s: string): s is LogLevel => (LOG_LEVELS as readonly string[]).includes(s);
