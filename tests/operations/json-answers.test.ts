// The reads answered straight as JSON text (json-answers.ts) against their handlers written through the output
// schema: the same answer for every page, window and cursor (byte for byte for trades, value for value for equity),
// trades stored without their text included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historySeries, seedHistory } from '../helpers/seed-history';
import { createBotRuntime, type BotRuntime } from '../../src-main/app/runtime';
import { createLogger } from '../../src-main/engine/log/logger';
import { runOperationAsJson } from '../../src-main/operations/invoke-operation';
import { integerText, thinnedPointsJson } from '../../src-main/operations/json-answers';
import type { OperationName } from '../../src-shared/contract';

const CANDLES = 12_000;
const FIVE_MINUTES = 300_000;

describe('history reads answered as JSON text', () => {
  let dataDir: string;
  let runtime: BotRuntime;
  let seeded: { firstTs: number; lastTs: number };
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-json-answers-'));
    seeded = seedHistory({ dataDir, series: historySeries(CANDLES, FIVE_MINUTES) });
    runtime = await createBotRuntime({
      dataDir,
      market: { kind: 'synthetic', seed: 3 },
      replaySpeed: 1,
      logger: createLogger({ level: 'warn' }),
    });
    runtime.bot.stop();
  });
  afterAll(async () => {
    await runtime?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const caller = { actor: 'test', scope: 'read' as const };
  /** [the fast answer, the handler's answer written through the output schema] */
  const both = (name: OperationName, query: Record<string, string>) => [
    runOperationAsJson(runtime.handlers, name, { query }, caller, runtime.jsonAnswers),
    runOperationAsJson(runtime.handlers, name, { query }, caller),
  ];
  const queries = () => {
    const trades = runtime.store.allTrades().sort((a, b) => b.exit_time - a.exit_time || b.id - a.id);
    const { firstTs, lastTs } = seeded;
    const out: [OperationName, Record<string, string>][] = [
      ['getTrades', { limit: '100' }],
      ['getTrades', { limit: '1000' }],
      ['getEquity', { limit: '500' }],
      ['getEquity', { limit: '5000' }],
      ['getEquity', { from: String(lastTs + 1) }],
    ];
    for (let i = 1; i < trades.length; i += Math.ceil(trades.length / 25)) {
      const from = trades[i].exit_time;
      const to = trades[Math.max(0, i - 40)].exit_time;
      out.push(['getTrades', { limit: '17', from: String(from), to: String(to) }]);
      // a page exactly full with nothing after it, and one short of that
      const inWindow = trades.filter((t) => t.exit_time >= from && t.exit_time <= to).length;
      out.push(['getTrades', { limit: String(inWindow), from: String(from), to: String(to) }]);
      out.push(['getTrades', { limit: String(inWindow - 1), from: String(from), to: String(to) }]);
      out.push(['getEquity', { limit: '500', from: String(from - 499 * FIVE_MINUTES), to: String(from) }]);
      out.push(['getEquity', { limit: String(50 + i), from: String(firstTs + i * FIVE_MINUTES), to: String(to) }]);
    }
    return out;
  };
  const pageAfter = (limit: string, from?: string, to?: string) => {
    // every cursor of a window, followed to its end
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const query: Record<string, string> = { limit, ...(from ? { from, to: to! } : {}), ...(cursor ? { cursor } : {}) };
      const [fast, slow] = both('getTrades', query);
      expect(fast).toBe(slow);
      pages.push(fast as string);
      cursor = (JSON.parse(fast as string) as { next_cursor: string | null }).next_cursor ?? undefined;
    } while (cursor);
    return pages;
  };

  /**
   * trades: the same bytes; equity: the same values (per-candle points are written by SQLite, whose spelling of a
   * number may differ, 100.0 for 100, but never its value)
   */
  const expectSame = (name: OperationName, query: Record<string, string>) => {
    const [fast, slow] = both(name, query);
    expect(typeof fast).toBe('string');
    if (name === 'getTrades') return expect(fast, `${name} ${JSON.stringify(query)}`).toBe(slow);
    const [f, s] = [JSON.parse(fast as string), JSON.parse(slow as string)] as { points: { ts: number; equity: number }[] }[];
    expect(f.points.length, JSON.stringify(query)).toBe(s.points.length);
    f.points.forEach((p, i) => {
      expect(Object.keys(p)).toEqual(['ts', 'equity']);
      expect(p.ts).toBe(s.points[i].ts);
      expect(p.equity).toBe(s.points[i].equity);
    });
  };

  it('gives the handler’s answer for every page, window and cursor', () => {
    for (const [name, query] of queries()) expectSame(name, query);
    expect(pageAfter('93').length).toBeGreaterThan(2);
  });

  it('gives the handler’s log pages byte for byte, each record written once and the same on every page that holds it', () => {
    const fields: Record<string, unknown>[] = [
      {},
      { order_id: 7, price: 0.1 + 0.2, nested: { a: [1, 'x', null], b: { c: true } } },
      { skipped: undefined, big: 1_704_067_200_000, neg: -0, list: [] },
      { msg: 'not the message', ts: 1, level: 'debug', '2': 'an index-like key' },
      { reason: 'a "quoted" \\ line\nbreak', unicode: 'é ✓ \u2028' },
    ];
    for (let i = 0; i < 60; i++) (i % 3 ? runtime.logger.warn : runtime.logger.error)(`line ${i}`, fields[i % fields.length]);
    for (const level of ['debug', 'info', 'warn', 'error'])
      for (const limit of ['1', '7', '50', '1000']) {
        const [fast, slow] = both('getLogs', { level, limit });
        expect(fast, `${level} ${limit}`).toBe(slow);
        // a second page holding the same records reuses their texts: still the same bytes
        expect(both('getLogs', { level, limit })[0]).toBe(slow);
      }
  });

  it('gives the same answers for trades stored before their text was kept, and refuses a point its schema refuses', () => {
    runtime.store.db.exec(`UPDATE trades SET json = NULL WHERE id % 3 = 0`);
    for (const [name, query] of queries()) expectSame(name, query);
    pageAfter('41');
    // a value no answer may carry (the schema refuses it): both refuse it alike
    const { lastTs } = seeded;
    runtime.store.db.exec(`UPDATE equity_points SET equity = 9e999 WHERE ts = ${lastTs}`);
    const query = { limit: '500', from: String(lastTs - 10 * FIVE_MINUTES) };
    expect(() => runOperationAsJson(runtime.handlers, 'getEquity', { query }, caller)).toThrow(/equity/);
    expect(() => runOperationAsJson(runtime.handlers, 'getEquity', { query }, caller, runtime.jsonAnswers)).toThrow(/equity/);
  });
});

describe('thinned points written by hand', () => {
  it('write what JSON.stringify writes, for every kind of number, and refuse what the schema refuses', () => {
    let seed = 5;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const numbers = [
      0,
      -0,
      1,
      999_999,
      1e6,
      1e6 + 1,
      1_000_010,
      1_704_067_200_000,
      2 ** 53 - 1,
      2 ** 53,
      -1_704_067_200_000,
      1e21,
      1e-7,
      0.1 + 0.2,
    ];
    for (let i = 0; i < 20_000; i++) numbers.push(Math.floor(rand() * 10 ** (1 + (i % 16))), (rand() - 0.5) * 10 ** (i % 12));
    for (const n of numbers) expect(integerText(n), String(n)).toBe(JSON.stringify(n));
    const points = numbers.map((n, i) => ({ ts: n, equity: numbers[numbers.length - 1 - i] }));
    expect(thinnedPointsJson(points)).toBe(JSON.stringify(points));
    expect(thinnedPointsJson([])).toBe('[]');
    expect(() => thinnedPointsJson([{ ts: 1, equity: Infinity }])).toThrow(/equity/);
    expect(() => thinnedPointsJson([{ ts: NaN, equity: 1 }])).toThrow(/ts/);
  });
});
