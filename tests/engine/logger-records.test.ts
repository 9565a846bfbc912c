// A log record is built in the shape GET /bot/logs writes (its own fields first), so a page of records is written
// whole; a field named like one of its own never replaces it, and secrets stay redacted.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/engine/log/logger';
import { compileJsonWriter } from '../../src-main/operations/json-writer';
import { operations } from '../../src-shared/contract';

describe('log records', () => {
  it('have ts, level and msg first, keep the rest after them, and are written as they are', () => {
    const logger = createLogger({ level: 'debug', now: () => 1_704_067_200_123 });
    logger.info('closed position #3', { trade_id: 3, ts: 1, level: 'error', msg: 'not this', api_key: 'k-123' });
    logger.debug('plain');
    const [plain, closed] = logger.tail('debug', 10);
    expect(Object.keys(closed)).toEqual(['ts', 'level', 'msg', 'trade_id', 'api_key']);
    expect(closed).toMatchObject({ ts: 1_704_067_200_123, level: 'info', msg: 'closed position #3', trade_id: 3 });
    expect(closed.api_key).not.toBe('k-123');
    expect(Object.keys(plain)).toEqual(['ts', 'level', 'msg']);
    // the page is the answer's shape already: the output writer gives JSON.stringify of the records themselves
    const page = logger.tail('debug', 10);
    expect(compileJsonWriter(operations.getLogs.output)(page)).toBe(JSON.stringify(page));
  });
});
