// The max-order live limit in the one engine path: a strategy entry over it is refused before anything reaches the
// exchange, and the signal says why (rejected_because); entries under it go as usual.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Signal } from '../../src-shared/contract';
import { PaperExchange } from '../../src-main/engine/adapters/paper/paper.exchange';
import { Executor } from '../../src-main/engine/execution/executor';
import { MemoryJournal } from '../../src-main/engine/ports/journal.port';
import { paperMarketRules } from '../../src-main/engine/market/precision';
import { TradingCore } from '../../src-main/engine/trading-core';
import { CANDLE_STRIDE, loadCandleFile } from '../../src-main/engine/feeds/candle-file';
import { sampleCandlesPath } from '../../src-main/app/runtime';

function run(entryLimit?: (amount: number, price: number) => string | null) {
  const series = loadCandleFile(sampleCandlesPath());
  const config = { ...DEFAULT_CONFIG, max_daily_loss_pct: 0 };
  const rules = paperMarketRules(config.symbol, series.data[4]);
  const exchange = new PaperExchange({ rules, startingQuote: 10_000, feePct: config.fee_pct, slippagePct: config.slippage_pct });
  let placed = 0;
  const place = exchange.placeOrder.bind(exchange);
  exchange.placeOrder = (r) => (placed++, place(r));
  const executor = new Executor(exchange, new MemoryJournal(false), rules);
  const signals: Signal[] = [];
  const core = new TradingCore({
    exchange,
    executor,
    rules,
    startEquity: 10_000,
    config: { current: { config, version: 1 } },
    entryLimit,
    hooks: { signal: (s) => signals.push(s) },
  });
  for (let i = 0; i < series.count; i++) core.processCandleAt(series.data, i * CANDLE_STRIDE);
  return { signals: signals.filter((s) => s.action === 'enter'), placed };
}

describe('max order (BOT_LIVE_MAX_ORDER) on strategy entries', () => {
  it('an entry worth more is refused with the reason in the signal, and nothing is sent', () => {
    const seen: number[] = [];
    const { signals, placed } = run((amount, price) => {
      seen.push(amount * price);
      return amount * price > 100
        ? `the entry would be worth ${(amount * price).toFixed(2)} USDT, over the most one order may be worth: 100 USDT (BOT_LIVE_MAX_ORDER)`
        : null;
    });
    expect(signals.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    const limited = signals.filter((s) => s.rejected_because?.includes('BOT_LIVE_MAX_ORDER'));
    expect(limited.length).toBe(seen.length); // every entry the strategy sized (20% of ~10,000) was over 100
    expect(limited.every((s) => !s.accepted)).toBe(true);
    expect(placed).toBe(0);
  });

  it('without the limit the same run trades', () => {
    const { signals, placed } = run();
    expect(signals.some((s) => s.accepted)).toBe(true);
    expect(placed).toBeGreaterThan(0);
  });
});
