import { TIMEFRAME_MS, type BotConfig, type Trade } from '../src-shared/contract';
import { CANDLE_STRIDE, type CandleSeries } from '../src-main/engine/feeds/candle-file';
import { paperMarketRules, roundToStep } from '../src-main/engine/market/precision';

/** The hand loop under a bot config (ema_cross) on the paper market's rules, from 10,000 quote: what the engine's
 * backtest of the same config must match (the parity test) and is timed against (the engine bench). */
export function handLoopFor(s: CandleSeries, config: BotConfig): { trades: Trade[]; equity: number } {
  if (config.strategy.name !== 'ema_cross') throw new Error(`the hand loop knows ema_cross only, not ${config.strategy.name}`);
  const p = config.strategy.params;
  const rules = paperMarketRules(config.symbol, s.data[1]);
  return handLoop(s, {
    fast: p.fast,
    slow: p.slow,
    rsiPeriod: p.rsi_period,
    rsiMax: p.rsi_max,
    sizePct: config.position_size_pct,
    slPct: config.stop_loss_pct,
    tpPct: config.take_profit_pct,
    maxPositions: config.max_positions,
    feePct: config.fee_pct,
    slipPct: config.slippage_pct,
    amountStep: rules.amountStep,
    priceStep: rules.priceStep,
    minNotional: rules.minNotional,
    startEquity: 10_000,
    tfMs: TIMEFRAME_MS[config.timeframe],
    trailPct: config.trailing_stop_pct,
    trailActPct: config.trailing_activation_pct,
  });
}

/**
 * The baseline of the engine benchmark: the same trading rules written as one function over the array —
 * EMA fast/slow cross with an RSI ceiling, sizing by % of equity capped by free cash, market fills with slippage,
 * fees in quote, stop-loss/take-profit resting (stop first, gap fills at the open), trade records; with `trailPct`
 * the trailing stop (the stop rises to trailPct below each candle's high once it is trailActPct above the entry, or
 * the position is sold at the close when that is already under it).
 */
export function handLoop(
  s: CandleSeries,
  p: {
    fast: number;
    slow: number;
    rsiPeriod: number;
    rsiMax: number;
    sizePct: number;
    slPct: number;
    tpPct: number;
    maxPositions: number;
    feePct: number;
    slipPct: number;
    amountStep: number;
    priceStep: number;
    minNotional: number;
    startEquity: number;
    tfMs: number;
    trailPct?: number;
    trailActPct?: number;
  },
): { trades: Trade[]; equity: number } {
  const d = s.data;
  const kf = 2 / (p.fast + 1);
  const ks = 2 / (p.slow + 1);
  let emaF = 0,
    emaS = 0,
    sumF = 0,
    sumS = 0;
  let prevF = NaN,
    prevS = NaN;
  let avgGain = 0,
    avgLoss = 0,
    prevClose = NaN,
    rsiN = 0;
  const fee = p.feePct / 100,
    slip = p.slipPct / 100;
  const maxP = p.maxPositions;
  const amt = new Float64Array(maxP),
    entry = new Float64Array(maxP),
    efee = new Float64Array(maxP);
  const sl = new Float64Array(maxP),
    tp = new Float64Array(maxP),
    opened = new Float64Array(maxP),
    trailed = new Uint8Array(maxP);
  const trailPct = p.trailPct ?? 0,
    trailActPct = p.trailActPct ?? 0;
  let open = 0;
  let cash = p.startEquity,
    realized = 0;
  const trades: Trade[] = [];
  let tradeId = 0;
  const close = (k: number, price: number, ts: number, reason: Trade['exit_reason']) => {
    const f = amt[k] * price * fee;
    cash += amt[k] * price - f;
    const tfee = efee[k] + f;
    const pnl = (price - entry[k]) * amt[k] - tfee;
    realized += pnl;
    trades.push({
      id: ++tradeId,
      position_id: tradeId,
      symbol: 'XRP/USDT',
      side: 'long',
      amount: amt[k],
      entry_price: entry[k],
      exit_price: price,
      entry_time: opened[k],
      exit_time: ts,
      fee: tfee,
      pnl,
      pnl_pct: (pnl / (entry[k] * amt[k])) * 100,
      exit_reason: reason,
      config_version: 1,
    });
    open--;
    amt[k] = amt[open];
    entry[k] = entry[open];
    efee[k] = efee[open];
    sl[k] = sl[open];
    tp[k] = tp[open];
    opened[k] = opened[open];
    trailed[k] = trailed[open];
  };
  for (let i = 0; i < s.count; i++) {
    const at = i * CANDLE_STRIDE;
    const o = d[at + 1],
      h = d[at + 2],
      l = d[at + 3],
      c = d[at + 4];
    const ts = d[at] + p.tfMs;
    for (let k = open - 1; k >= 0; k--) {
      if (l <= sl[k]) close(k, Math.min(sl[k], o), ts, trailed[k] ? 'trailing_stop' : 'stop_loss');
      else if (h >= tp[k]) close(k, Math.max(tp[k], o), ts, 'take_profit');
    }
    if (trailPct > 0) {
      for (let k = open - 1; k >= 0; k--) {
        if (trailActPct > 0 && h * 100 < entry[k] * (100 + trailActPct)) continue;
        const stop = roundToStep(h * (1 - trailPct / 100), p.priceStep, 'down');
        if (stop <= sl[k]) continue;
        if (stop >= c) close(k, roundToStep(c * (1 - slip), p.priceStep, 'down'), ts, 'trailing_stop');
        else {
          sl[k] = stop;
          trailed[k] = 1;
        }
      }
    }
    // indicators: EMAs seeded with the SMA of their first `period` closes, Wilder RSI
    if (i < p.fast) {
      sumF += c;
      if (i === p.fast - 1) emaF = sumF / p.fast;
    } else emaF += (c - emaF) * kf;
    if (i < p.slow) {
      sumS += c;
      if (i === p.slow - 1) emaS = sumS / p.slow;
    } else emaS += (c - emaS) * ks;
    if (i > 0) {
      const ch = c - prevClose;
      const g = ch > 0 ? ch : 0,
        ls = ch < 0 ? -ch : 0;
      if (rsiN < p.rsiPeriod) {
        avgGain += g / p.rsiPeriod;
        avgLoss += ls / p.rsiPeriod;
        rsiN++;
      } else {
        avgGain = (avgGain * (p.rsiPeriod - 1) + g) / p.rsiPeriod;
        avgLoss = (avgLoss * (p.rsiPeriod - 1) + ls) / p.rsiPeriod;
      }
    }
    prevClose = c;
    const ready = i >= p.slow && rsiN >= p.rsiPeriod;
    const rsi = avgLoss === 0 ? (avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + avgGain / avgLoss);
    if (ready && prevF <= prevS && emaF > emaS && (p.rsiMax === 0 || rsi < p.rsiMax) && open < maxP) {
      let equity = p.startEquity + realized;
      for (let k = 0; k < open; k++) equity += (c - entry[k]) * amt[k] - efee[k];
      // prices snapped to the tick without binary noise, as an exchange quotes them (per trade, not per candle)
      const price = roundToStep(c * (1 + slip), p.priceStep, 'up');
      const want = Math.min((equity * p.sizePct) / 100 / c, cash / (price * (1 + fee)));
      const a = roundToStep(want, p.amountStep, 'down');
      // the market's minimum notional, at the stop price too (its protective stop must be placeable)
      if (a >= p.amountStep && a * c * (1 - p.slPct / 100) >= p.minNotional && a * price * (1 + fee) <= cash) {
        const f = a * price * fee;
        cash -= a * price + f;
        amt[open] = a;
        entry[open] = price;
        efee[open] = f;
        opened[open] = ts;
        sl[open] = roundToStep(price * (1 - p.slPct / 100), p.priceStep, 'down');
        tp[open] = roundToStep(price * (1 + p.tpPct / 100), p.priceStep, 'up');
        trailed[open] = 0;
        open++;
      }
    } else if (ready && prevF >= prevS && emaF < emaS) {
      for (let k = open - 1; k >= 0; k--) close(k, roundToStep(c * (1 - slip), p.priceStep, 'down'), ts, 'signal');
    }
    prevF = emaF;
    prevS = emaS;
  }
  return { trades, equity: cash };
}
