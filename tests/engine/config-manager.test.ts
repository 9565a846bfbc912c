import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src-main/engine/adapters/sqlite/sqlite.store';
import { ConfigManager } from '../../src-main/engine/config/config-manager';
import { DEFAULT_CONFIG } from '../../src-shared/contract';

const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-cfg-'));
  const store = new SqliteStore(dir);
  return { dir, store, cm: new ConfigManager(store, 1000) };
};
const upd = (cm: ConfigManager, patch: object, extra: object = {}) =>
  cm.update({ patch, actor: 'api:control', openPositions: 0, now: 2000, ...extra });

describe('config manager', () => {
  it('starts at version 1 with the defaults, and persists every version with who/when/what', () => {
    const { cm, store, dir } = fresh();
    expect(cm.current).toEqual({ config: DEFAULT_CONFIG, version: 1 });
    const v = upd(cm, { stop_loss_pct: 2, max_positions: 4 });
    expect(v).toMatchObject({ version: 2, actor: 'api:control', created_at: 2000 });
    expect(v.changes).toEqual([
      { field: 'stop_loss_pct', from: 1.5, to: 2 },
      { field: 'max_positions', from: 3, to: 4 },
    ]);
    store.close();
    const again = new ConfigManager(new SqliteStore(dir), 3000);
    expect(again.current.version).toBe(2);
    expect(again.current.config.stop_loss_pct).toBe(2);
    expect(again.history(10).map((h) => h.version)).toEqual([2, 1]);
  });

  it('is atomic: a cross-field violation names both fields and changes nothing', () => {
    const { cm } = fresh();
    expect(() => upd(cm, { position_size_pct: 50, max_positions: 3 })).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        fields: expect.objectContaining({ position_size_pct: expect.any(String), max_positions: expect.any(String) }),
      }),
    );
    expect(cm.current.version).toBe(1);
    expect(cm.current.config).toEqual(DEFAULT_CONFIG);
  });

  it('refuses a symbol or timeframe change while positions are open (409)', () => {
    const { cm } = fresh();
    expect(() => upd(cm, { symbol: 'BTC/USDT' }, { openPositions: 1 })).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(() => upd(cm, { timeframe: '1h' }, { openPositions: 2 })).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(upd(cm, { symbol: 'BTC/USDT' }).version).toBe(2);
  });

  it('honours If-Match: a stale version is a 409, a current one passes, garbage is a 400', () => {
    const { cm } = fresh();
    upd(cm, { stop_loss_pct: 2 });
    expect(() => upd(cm, { stop_loss_pct: 3 }, { ifMatch: '1' })).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(upd(cm, { stop_loss_pct: 3 }, { ifMatch: '"2"' }).version).toBe(3);
    expect(() => upd(cm, { stop_loss_pct: 4 }, { ifMatch: 'abc' })).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });

  it('restores an earlier version as a new version; an unknown one is a 404', () => {
    const { cm } = fresh();
    upd(cm, { stop_loss_pct: 2 });
    upd(cm, { stop_loss_pct: 3 });
    const v = cm.rollback(1, 'api:control', 0, 5000);
    expect(v.version).toBe(4);
    expect(v.reason).toMatch(/rollback to version 1/);
    expect(cm.current.config).toEqual(DEFAULT_CONFIG);
    expect(() => cm.rollback(99, 'api:control', 0, 5000)).toThrow(expect.objectContaining({ kind: 'not_found' }));
  });

  it('records nothing for an update that changes nothing', () => {
    const { cm } = fresh();
    expect(upd(cm, { stop_loss_pct: DEFAULT_CONFIG.stop_loss_pct }).version).toBe(1);
    expect(cm.history(10)).toHaveLength(1);
  });
});
