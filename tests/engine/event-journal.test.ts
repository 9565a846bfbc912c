// The event stream reaches across a restart (docs/contract.md §5): a bus on the same journal starts where the last one
// ended, and `since` replays what the old process published. Found by the kill runs (tests/proof/kills.test.ts): after
// a kill -9 the stream began again at seq 1 and a reconnecting client saw a gap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteEventJournal } from '../../src-main/engine/adapters/sqlite/event-journal';
import { EventBus } from '../../src-main/engine/events/event-bus';

const log = (msg: string) => ({ ts: 1, level: 'info' as const, msg });

describe('event journal', () => {
  it('a bus on the same journal goes on from the last seq and replays the old events after `since`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-events-'));
    try {
      const first = new SqliteEventJournal(dir);
      const a = new EventBus(5000, Date.now, first);
      for (const m of ['one', 'two', 'three']) a.publish('log', log(m));
      // no close: a killed process never closes its journal
      const b = new EventBus(5000, Date.now, new SqliteEventJournal(dir));
      expect(b.lastSeq).toBe(3);
      expect(b.since(1).map((e) => [e.seq, (JSON.parse(e.json) as { data: { msg: string } }).data.msg])).toEqual([
        [2, 'two'],
        [3, 'three'],
      ]);
      expect(b.publish('log', log('four')).seq).toBe(4);
      first.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a small ring after a restart replays older events from the journal, in order, up to the replay depth', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-events-'));
    try {
      const a = new EventBus(3, Date.now, new SqliteEventJournal(dir), 6);
      for (let i = 0; i < 10; i++) a.publish('log', log(`m${i}`));
      const b = new EventBus(3, Date.now, new SqliteEventJournal(dir), 6);
      expect(b.held).toBe(3);
      expect(b.since(0).map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
      expect(b.since(6).map((e) => [e.seq, e.type])).toEqual([
        [7, 'log'],
        [8, 'log'],
        [9, 'log'],
        [10, 'log'],
      ]);
      expect(b.since(0).map((e) => (JSON.parse(e.json) as { data: { msg: string } }).data.msg)).toEqual([
        'm4',
        'm5',
        'm6',
        'm7',
        'm8',
        'm9',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // docs/benchmarks.md, memory: the ring was the bot's one structure that grew with time, 5,000 parsed events and
  // their texts (~1 KB each), which took the default replay over an hour to fill; now 1,000 texts are held and the
  // journal answers the rest of the 5,000 a reconnecting client may ask for
  it('holds at most 1,000 events in memory yet replays the last 5,000 through the journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-events-'));
    try {
      const journal = new SqliteEventJournal(dir);
      const bus = new EventBus(undefined, Date.now, journal);
      for (let i = 1; i <= 7000; i++) bus.publish('log', log(`m${i}`));
      expect(bus.held).toBe(1000);
      const replay = bus.since(0);
      expect(replay.length).toBe(5000);
      expect(replay.map((e) => e.seq)).toEqual(Array.from({ length: 5000 }, (_, i) => 2001 + i));
      expect(replay.every((e) => e.type === 'log' && (JSON.parse(e.json) as { seq: number }).seq === e.seq)).toBe(true);
      // no gap where the journal's part meets the ring's
      expect(bus.since(5990).map((e) => e.seq)).toEqual(Array.from({ length: 1010 }, (_, i) => 5991 + i));
      expect(new EventBus().held).toBe(0);
      journal.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
