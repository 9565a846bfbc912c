// ccxt is loaded one exchange at a time (issue 21 item 2): the class in use from its own file, never the whole library
// (`import 'ccxt'` loads every exchange it knows). The classes are the very ones the whole library exports.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ccxtErrors, loadExchangeClass } from '../../src-main/engine/adapters/ccxt/ccxt-module';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('loading ccxt', () => {
  it('gives the exchange class and the error classes the whole library has', async () => {
    const { default: ccxt } = await import('ccxt');
    expect(await loadExchangeClass('binance')).toBe(ccxt.binance);
    expect(await loadExchangeClass('kraken')).toBe(ccxt.kraken);
    expect(ccxtErrors.NetworkError).toBe(ccxt.NetworkError);
    expect(ccxtErrors.OrderNotFound).toBe(ccxt.OrderNotFound);
  });

  it('knows no exchange outside ccxt, and reads no file outside its exchanges', async () => {
    for (const id of ['nope', 'Binance', '', '../ccxt', 'base/errors', 'binance.js']) expect(await loadExchangeClass(id)).toBeNull();
  });

  it('no app source imports the whole library (types only)', () => {
    const offenders = [...sources(join(root, 'src-main')), ...sources(join(root, 'src-shared'))].filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /^import (?!type )[^;]*from 'ccxt';/m.test(text) || /import\(\s*'ccxt'\s*\)/.test(text);
    });
    expect(offenders.map((f) => f.slice(root.length + 1))).toEqual([]);
  });
});
