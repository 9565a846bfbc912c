import type { StrategyConfig } from '../../../src-shared/contract';
import { BollingerReversionStrategy } from './bollinger-reversion.strategy';
import { EmaCrossStrategy } from './ema-cross.strategy';
import { RsiReversionStrategy } from './rsi-reversion.strategy';
import type { Strategy } from './strategy';

/** The strategy registry: `strategy: {name, params}` of a validated config → a fresh, un-warmed strategy. */
export function createStrategy(config: StrategyConfig): Strategy {
  switch (config.name) {
    case 'ema_cross':
      return new EmaCrossStrategy(config.params);
    case 'rsi_reversion':
      return new RsiReversionStrategy(config.params);
    case 'bollinger_reversion':
      return new BollingerReversionStrategy(config.params);
    default: {
      const unknown: never = config;
      throw new Error(`unknown strategy ${JSON.stringify((unknown as { name: unknown }).name)}`);
    }
  }
}
