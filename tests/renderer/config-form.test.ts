// The config form's logic under Node: generated from the shared schema, checked as the server checks, and turned into
// the smallest patch a save sends. (The form itself is exercised in Chromium by tests/e2e/dashboard.test.ts.)
import { describe, expect, it } from 'vitest';
import { configFields, DEFAULT_CONFIG, type BotConfig } from '../../src-shared/contract';
import {
  baseFieldSpecs,
  checkForm,
  diffConfig,
  strategyParamSpecs,
  toFormValues,
} from '../../src-renderer/src/features/config/config-form';

describe('config form', () => {
  it('has a field for every config key (a new key shows up without touching the renderer), with the money keys labelled', () => {
    expect(baseFieldSpecs.map((f) => f.key).sort()).toEqual(
      Object.keys(configFields)
        .filter((k) => k !== 'strategy')
        .sort(),
    );
    expect(baseFieldSpecs.find((f) => f.key === 'paper_balance')).toMatchObject({ kind: 'number', label: 'Paper balance' });
    expect(strategyParamSpecs('ema_cross').map((f) => f.key)).toEqual([
      'strategy.params.fast',
      'strategy.params.slow',
      'strategy.params.rsi_period',
      'strategy.params.rsi_max',
    ]);
  });

  it('round-trips a config: its own values check clean and come back equal', () => {
    const config: BotConfig = { ...DEFAULT_CONFIG, symbol: 'ETH/BTC', paper_balance: 0.1 };
    expect(checkForm(toFormValues(config))).toEqual({ config, errors: {} });
  });

  it('names every bad field as the server would, and gives no config to save', () => {
    const values = {
      ...toFormValues(DEFAULT_CONFIG),
      stop_loss_pct: 'abc',
      paper_balance: '0',
      position_size_pct: '60',
      max_positions: '3',
      symbol: 'ETHBTC',
    };
    const { config, errors } = checkForm(values);
    expect(config).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['max_positions', 'paper_balance', 'position_size_pct', 'stop_loss_pct', 'symbol']);
    expect(errors.symbol).toMatch(/BASE\/QUOTE/);
    expect(errors.position_size_pct).toMatch(/must not exceed 100/);
  });

  it('the trailing stop: two number fields, and an activation without a trailing stop named on both as the server does', () => {
    expect(baseFieldSpecs.find((f) => f.key === 'trailing_stop_pct')).toMatchObject({
      kind: 'number',
      label: 'Trailing stop',
      min: 0,
      max: 50,
    });
    expect(baseFieldSpecs.find((f) => f.key === 'trailing_activation_pct')).toMatchObject({ kind: 'number', min: 0 });
    const values = { ...toFormValues(DEFAULT_CONFIG), trailing_activation_pct: '2' };
    expect(Object.keys(checkForm(values).errors).sort()).toEqual(['trailing_activation_pct', 'trailing_stop_pct']);
    expect(checkForm({ ...values, trailing_stop_pct: '0.05' }).errors.trailing_stop_pct).toMatch(/0 \(off\) or between 0.1 and 50/);
    expect(checkForm({ ...values, trailing_stop_pct: '1.5' })).toMatchObject({ errors: {}, config: { trailing_stop_pct: 1.5 } });
  });

  it('a save sends only what changed, and the strategy whole when one of its params did', () => {
    const after: BotConfig = {
      ...DEFAULT_CONFIG,
      stop_loss_pct: 2,
      strategy: { name: 'ema_cross', params: { ...DEFAULT_CONFIG.strategy.params, fast: 5 } as never },
    };
    const { changes, patch } = diffConfig(DEFAULT_CONFIG, after);
    expect(changes.map((c) => c.field)).toEqual(['stop_loss_pct', 'strategy.params.fast']);
    expect(patch).toEqual({ stop_loss_pct: 2, strategy: after.strategy });
    expect(diffConfig(DEFAULT_CONFIG, DEFAULT_CONFIG)).toEqual({ changes: [], patch: {} });
  });
});
