import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEFAULT_CONFIG, type BotConfig } from '../../src-shared/contract';
import { runBacktest } from '../../src-main/engine/backtest/backtest';
import { loadCandleFile } from '../../src-main/engine/feeds/candle-file';
import { paperMarketRules } from '../../src-main/engine/market/precision';
import { ALT_1M, XRP_5M, loadXrp5m } from '../helpers/candles';
import { expectStatsMatchTrades, onStep } from '../helpers/money';

const tmp = mkdtempSync(join(tmpdir(), 'botdesk-bt-'));
// node directly rather than npx, so npm's own warnings cannot mix into the stderr under test
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/backtest.ts', ...args], { encoding: 'utf8' });

describe('backtest engine on real candles', () => {
  it('produces trades whose stats recompute exactly and respect market precision', async () => {
    const series = loadXrp5m();
    const r = await runBacktest({ series, config: DEFAULT_CONFIG });
    expect(r.trades.length).toBeGreaterThan(5);
    expectStatsMatchTrades(r.stats, r.trades);
    const rules = paperMarketRules(DEFAULT_CONFIG.symbol, series.data[1]);
    for (const t of r.trades) {
      expect(onStep(t.amount, rules.amountStep)).toBe(true);
      expect(onStep(t.entry_price, rules.priceStep)).toBe(true);
      expect(t.exit_time).toBeGreaterThan(t.entry_time);
      expect(t.fee).toBeGreaterThan(0);
    }
    const reasons = new Set(r.trades.map((t) => t.exit_reason));
    expect(reasons.size).toBeGreaterThanOrEqual(2);
  });

  it('never holds more than max_positions, never sizes above position_size_pct of equity', async () => {
    const config: BotConfig = {
      ...DEFAULT_CONFIG,
      max_positions: 2,
      position_size_pct: 30,
      strategy: { name: 'rsi_reversion', params: { period: 14, oversold: 35, overbought: 60 } },
    };
    const r = await runBacktest({ series: loadXrp5m(), config });
    expect(r.trades.length).toBeGreaterThan(0);
    const events = r.trades
      .flatMap((t) => [
        { at: t.entry_time, d: 1 },
        { at: t.exit_time, d: -1 },
      ])
      .sort((a, b) => a.at - b.at || a.d - b.d);
    let open = 0;
    for (const e of events) {
      open += e.d;
      expect(open).toBeLessThanOrEqual(2);
    }
    for (const t of r.trades) expect(t.entry_price * t.amount).toBeLessThanOrEqual(r.stats.start_equity * 3 * 0.3 + 1e-6);
  });

  it('handles flat candles and gaps (ALT/BTC 1m) without NaN', async () => {
    const r = await runBacktest({ series: loadCandleFile(ALT_1M), config: { ...DEFAULT_CONFIG, symbol: 'ALT/BTC', timeframe: '1m' } });
    expect(Number.isFinite(r.stats.equity)).toBe(true);
    for (const p of r.equity) expect(Number.isFinite(p.equity)).toBe(true);
    expectStatsMatchTrades(r.stats, r.trades);
  });

  it('is deterministic', async () => {
    const a = await runBacktest({ series: loadXrp5m(), config: DEFAULT_CONFIG });
    const b = await runBacktest({ series: loadXrp5m(), config: DEFAULT_CONFIG });
    expect(b.trades).toEqual(a.trades);
  });
});

describe('npm run backtest (CLI)', () => {
  it('--json prints one JSON document {config, stats, trades, equity} and nothing else', () => {
    const r = cli('--candles', XRP_5M, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc).sort()).toEqual(['config', 'equity', 'stats', 'trades']);
    expectStatsMatchTrades(doc.stats, doc.trades);
  });

  it('takes a partial config file', () => {
    const file = join(tmp, 'cfg.json');
    writeFileSync(file, JSON.stringify({ strategy: { name: 'bollinger_reversion', params: { period: 20, stddev: 2 } }, stop_loss_pct: 2 }));
    const doc = JSON.parse(cli('--candles', XRP_5M, '--config', file, '--json').stdout);
    expect(doc.config.strategy.name).toBe('bollinger_reversion');
    expect(doc.config.stop_loss_pct).toBe(2);
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'unsorted',
      [
        [2, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1],
      ],
      /timestamps must increase/,
    ],
    ['NaN as null', [[1, 1, 1, 1, null, 1]], /close is not a finite number/],
    ['NaN as string', [[1, 1, 1, 1, 'NaN', 1]], /close is not a finite number/],
    ['negative price', [[1, -1, 1, -1, 1, 1]], /prices must be positive/],
    ['missing fields', [[1, 1, 1]], /missing fields/],
    ['not an array', { a: 1 }, /expected a JSON array/],
  ];
  for (const [name, content, message] of bad) {
    it(`rejects a malformed candle file (${name}) with one clear line`, () => {
      const file = join(tmp, `${name.replace(/\W/g, '_')}.json`);
      writeFileSync(file, JSON.stringify(content));
      const r = cli('--candles', file, '--json');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('rejects an unknown strategy and an out-of-range parameter, naming the field', () => {
    const f1 = join(tmp, 'unknown.json');
    writeFileSync(f1, JSON.stringify({ strategy: { name: 'moon', params: {} } }));
    const r1 = cli('--candles', XRP_5M, '--config', f1);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/strategy/);
    const f2 = join(tmp, 'range.json');
    writeFileSync(f2, JSON.stringify({ stop_loss_pct: 80 }));
    const r2 = cli('--candles', XRP_5M, '--config', f2);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/stop_loss_pct/);
  });
});
