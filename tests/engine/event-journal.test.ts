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
      expect(b.since(1).map((e) => [e.event.seq, (e.event.data as { msg: string }).msg])).toEqual([
        [2, 'two'],
        [3, 'three'],
      ]);
      expect(b.publish('log', log('four')).seq).toBe(4);
      first.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a small ring after a restart replays only what it holds, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-events-'));
    try {
      const a = new EventBus(3, Date.now, new SqliteEventJournal(dir));
      for (let i = 0; i < 10; i++) a.publish('log', log(`m${i}`));
      const b = new EventBus(3, Date.now, new SqliteEventJournal(dir));
      expect(b.since(0).map((e) => e.event.seq)).toEqual([8, 9, 10]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
