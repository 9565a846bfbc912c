// Config for tests that open positions by hand and need them to stay open while they look: the stop and the target
// out of reach, and a strategy whose exit signal cannot fire (a paused or disabled bot still exits on its signal;
// ema_cross's opposite cross once closed a test's position before it was read). RSI over 100 candles above 99 does
// not happen on these markets, nor below 1, so the strategy neither exits nor enters.
export const HELD_POSITIONS = {
  stop_loss_pct: 50,
  take_profit_pct: 1000,
  strategy: { name: 'rsi_reversion', params: { period: 100, oversold: 1, overbought: 99 } },
} as const;
