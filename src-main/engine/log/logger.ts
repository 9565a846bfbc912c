import { LOG_LEVELS, type LogLevel, type LogRecord } from '../../../src-shared/contract';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const levelRank = (level: LogLevel): number => RANK[level];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** newest records at or above `level`, newest first */
  tail(level: LogLevel, limit: number): LogRecord[];
  /** strings that must never appear in any record (tokens, exchange keys) */
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
}

export function createLogger(opts: { level?: LogLevel; capacity?: number; sinks?: LogSink[]; now?: () => number } = {}): RestorableLogger {
  const min = RANK[opts.level ?? 'info'];
  const capacity = opts.capacity ?? 2000;
  const now = opts.now ?? Date.now;
  const sinks = [...(opts.sinks ?? [])];
  const ring: LogRecord[] = [];
  const secrets: string[] = [];

  const scrub = (s: string): string => {
    for (const secret of secrets) if (secret && s.includes(secret)) s = s.split(secret).join('[REDACTED]');
    return s;
  };
  const clean = (v: unknown, depth = 0): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (v instanceof Error) return scrub(v.message);
    if (v === null || typeof v !== 'object' || depth > 4) return v;
    if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? '[REDACTED]' : clean(x, depth + 1);
    return out;
  };

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const extra = fields ? (clean(fields) as Record<string, unknown>) : undefined;
    const record: LogRecord = { ...extra, ts: now(), level, msg: scrub(msg) };
    ring.push(record);
    if (ring.length > capacity) ring.splice(0, ring.length - capacity);
    for (const sink of sinks) {
      try {
        sink(record);
      } catch {
        // a failing sink must not break logging
      }
    }
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    tail(level, limit) {
      const floor = RANK[level];
      const out: LogRecord[] = [];
      for (let i = ring.length - 1; i >= 0 && out.length < limit; i--) if (RANK[ring[i].level] >= floor) out.push(ring[i]);
      return out;
    },
    addSecret(secret) {
      if (secret && !secrets.includes(secret)) secrets.push(secret);
    },
    addSink(s) {
      sinks.push(s);
    },
    restore(records) {
      // records from before a restart go under the new ones, without passing through the sinks again
      ring.unshift(...records.slice(-capacity).filter((r) => RANK[r.level] >= min));
      if (ring.length > capacity) ring.splice(0, ring.length - capacity);
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
