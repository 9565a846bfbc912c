import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventJournal, JournaledEvent } from '../../ports/event-journal.port';
import { openDatabase, type SqlDatabase, type SqlDriverName } from './sql-driver';

/** rows kept: the bus replays at most 5,000 (event-bus.ts); twice that leaves room between prunes */
const KEPT = 10_000;
const PRUNE_EVERY = 1_000;

/**
 * The event journal in its own SQLite file (events.sqlite), apart from the trading database: every event is one small
 * insert that is never fsynced (synchronous=OFF). What a write() handed to the OS survives a killed process, which is
 * the failure this is for; after a power cut the newest events may be missing, and the stream then starts after them
 * (the trading state itself lives in botdesk.sqlite with synchronous=FULL).
 */
export class SqliteEventJournal implements EventJournal {
  private readonly db: SqlDatabase;
  private readonly insert;
  private readonly prune;
  private readonly range;
  private appended = 0;

  constructor(dataDir: string, options: { driver?: SqlDriverName } = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = openDatabase(join(dataDir, 'events.sqlite'), options);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('busy_timeout = 5000');
    // appends touch a few pages at the end and replays read rarely: SQLite's default 2 MiB page cache would only fill
    // with pages nobody reads again, resident memory rising for the hours the journal takes to fill (docs/benchmarks.md,
    // memory)
    this.db.pragma('cache_size = -256');
    this.db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, json TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT OR REPLACE INTO events (seq, json) VALUES (?, ?)');
    this.prune = this.db.prepare('DELETE FROM events WHERE seq <= ?');
    // SQLite reads the type out of the text, so a replay parses no whole event in JavaScript
    this.range = this.db.prepare(
      "SELECT seq, json_extract(json, '$.type') AS type, json FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq",
    );
  }

  recent(limit: number): JournaledEvent[] {
    const rows = this.db
      .prepare("SELECT seq, json_extract(json, '$.type') AS type, json FROM events ORDER BY seq DESC LIMIT ?")
      .all(limit) as JournaledEvent[];
    return rows.reverse().map(row);
  }

  between(from: number, to: number): JournaledEvent[] {
    if (!this.db.isOpen || to < from) return []; // a client connecting while the runtime shuts down
    return (this.range.all(from, to) as JournaledEvent[]).map(row);
  }

  append(seq: number, json: string): void {
    if (!this.db.isOpen) return; // an event published while the runtime shuts down
    this.insert.run(seq, json);
    if (++this.appended % PRUNE_EVERY === 0) this.prune.run(seq - KEPT);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

const row = (r: JournaledEvent): JournaledEvent => ({ seq: Number(r.seq), type: r.type, json: r.json });
