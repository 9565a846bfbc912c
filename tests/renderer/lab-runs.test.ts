// What a lab run means for the bot's config, under Node: a sweep's params laid over a config, the config an applied
// run proposes (never another market), the words the config history keeps for it, and the forms' from/to.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type BotConfig } from '../../src-shared/contract';
import {
  differingKeys,
  formFields,
  parseRange,
  proposedConfig,
  requestPatch,
  runSource,
  sameCandles,
  withParams,
} from '../../src-renderer/src/features/lab/lab-runs';

const current: BotConfig = { ...DEFAULT_CONFIG, symbol: 'ETH/BTC', timeframe: '1h', paper_balance: 0.1 };

describe('lab runs and the bot config', () => {
  it('lays a sweep run over the request patch: strategy params travel inside the whole strategy', () => {
    const patch = withParams(current, { take_profit_pct: 4 }, { stop_loss_pct: 2, 'strategy.params.fast': 5 });
    expect(patch).toEqual({
      take_profit_pct: 4,
      stop_loss_pct: 2,
      strategy: { name: 'ema_cross', params: { fast: 5, slow: 21, rsi_period: 14, rsi_max: 70 } },
    });
    // a strategy the request switched to keeps its own params
    const rsi = withParams(
      current,
      { strategy: { name: 'rsi_reversion', params: { period: 14, oversold: 30, overbought: 70 } } },
      {
        'strategy.params.oversold': 25,
      },
    );
    expect(rsi.strategy).toEqual({ name: 'rsi_reversion', params: { period: 14, oversold: 25, overbought: 70 } });
  });

  it("proposes the run's config over the bot's, never its market, and lists what differs", () => {
    const strategy = { name: 'ema_cross' as const, params: { fast: 5, slow: 21, rsi_period: 14, rsi_max: 70 } };
    const run: BotConfig = { ...current, symbol: 'XRP/USDT', timeframe: '5m', stop_loss_pct: 2, strategy };
    const proposed = proposedConfig(current, run);
    expect(proposed).toMatchObject({ symbol: 'ETH/BTC', timeframe: '1h', stop_loss_pct: 2 });
    expect(differingKeys(current, proposed)).toEqual(['stop_loss_pct', 'strategy.params.fast']);
    expect(differingKeys(current, proposedConfig(current, {}))).toEqual([]);
    // a lab run always takes its entries: a paused bot's config is still the same config
    expect(differingKeys({ ...current, enabled: false }, current)).toEqual([]);
    expect(
      differingKeys(current, { ...current, strategy: { name: 'rsi_reversion', params: { period: 14, oversold: 30, overbought: 70 } } }),
    ).toEqual(['strategy.name']);
  });

  it('reads the patch a job request carried and matches requests over the same candles', () => {
    expect(requestPatch({ config: { stop_loss_pct: 2 } })).toEqual({ stop_loss_pct: 2 });
    expect(requestPatch({})).toEqual({});
    expect(requestPatch(undefined)).toEqual({});
    const a = { symbol: 'ETH/BTC', timeframe: '1h', from: 1, to: 2, config: { stop_loss_pct: 2 } };
    expect(sameCandles(a, { symbol: 'ETH/BTC', timeframe: '1h', from: 1, to: 2 })).toBe(true);
    expect(sameCandles(a, { symbol: 'ETH/BTC', timeframe: '1h', from: 1 })).toBe(false);
    expect(sameCandles(a, undefined)).toBe(false);
  });

  it("puts the server's config.<key> errors on the form's own fields", () => {
    expect(formFields({ 'config.stop_loss_pct': 'too big', from: 'no candles' })).toEqual({ stop_loss_pct: 'too big', from: 'no candles' });
  });

  it('names the run in words the config history keeps, within the 160 characters the server takes', () => {
    expect(runSource({ kind: 'backtest', jobId: 12 })).toBe('lab backtest job 12');
    expect(runSource({ kind: 'sweep', jobId: 14, rank: 3, params: { stop_loss_pct: 2, 'strategy.params.fast': 5 } })).toBe(
      'lab sweep job 14, run 3 (stop_loss_pct=2, fast=5)',
    );
    const long = runSource({ kind: 'sweep', jobId: 1, rank: 1, params: { ['x'.repeat(200)]: 1 } });
    expect(long).toHaveLength(160);
  });

  it('reads from/to as local dates; names a missing, unreadable or upside-down one as the server would', () => {
    const r = parseRange('2024-01-01', '2024-01-02T12:00', { from: false, to: false });
    expect(r).toEqual({ ok: true, from: new Date(2024, 0, 1).getTime(), to: new Date(2024, 0, 2, 12).getTime() });
    expect(parseRange('', '', { from: true, to: true })).toEqual({ ok: true, from: undefined, to: undefined });
    expect(parseRange('', '', { from: false, to: true })).toEqual({ ok: false, errors: { from: 'required' } });
    expect(parseRange('yesterday', '2024-01-01', { from: false, to: false })).toEqual({
      ok: false,
      errors: { from: 'must be a date and time' },
    });
    expect(parseRange('2024-01-02', '2024-01-01', { from: false, to: false })).toEqual({
      ok: false,
      errors: { from: 'must be before to' },
    });
  });
});
