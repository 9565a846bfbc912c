// Live trading (docs/contract.md §7) with the real ccxt client against the local binance emulator: entries, exchange-side
// protection, exits at the exchange's fills, lost answers, refusals, the circuit breaker, a restart that finds a stop
// filled while the bot was down, and keys that never leak. Money is checked against the account itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotRuntime } from '../../src-main/app/runtime';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import { CONNECTION_LOG_FIELD, type BotEvent, type OperationName, type Position, type Trade } from '../../src-shared/contract';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { emulatorClient } from '../exchange-emulator/ccxt-harness';
import { expectClose } from '../helpers/money';
import { waitFor } from '../helpers/wait';
import { HANDS_ONLY, SYMBOL, openLiveRuntime, withLiveBot } from '../helpers/live-bot';

describe('live trading against the exchange', () => {
  let emu: BinanceEmulator;
  let dataDir: string;
  let rt: BotRuntime;
  const events: BotEvent[] = [];
  const open = async () => {
    rt = await openLiveRuntime(dataDir, emu, { live: { watchEveryMs: 150, unknownGraceMs: 2_000 } });
    rt.events.subscribe((e) => events.push(e));
  };
  const call = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(rt.handlers, name, raw, { actor: 'test' });
  const quote = () => emu.balances().USDT.free + emu.balances().USDT.locked;
  const enter = async (size_pct?: number) => (await call('openPosition', { body: size_pct ? { size_pct } : {} })).position;

  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-trading-'));
    await open();
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await emu?.close();
  });

  it('starts stopped on a fresh data directory and sends nothing until someone starts it', async () => {
    const status = await call('getStatus');
    expect(status).toMatchObject({ state: 'stopped', mode: 'live', market: 'live', exchange: 'binance', sandbox: false, attention: [] });
    expect(emu.requests({ method: 'POST' })).toEqual([]);
    await call('updateConfig', { body: HANDS_ONLY });
    // binance rests at most 5 stops per market: a sixth position could not be protected
    await expect(call('updateConfig', { body: { max_positions: 6, position_size_pct: 10 } })).rejects.toMatchObject({
      status: 400,
      fields: { max_positions: expect.stringMatching(/binance allows 5 stop orders per market/) },
    });
    await call('startBot');
  });

  it('a manual entry buys price-protected (limit IOC at the last price + max_slippage_pct) and rests its stop-loss and take-profit on the exchange as one OCO pair', async () => {
    const p = await enter(5);
    const orders = emu.orders(SYMBOL);
    const buy = orders.find((o) => o.side === 'BUY')!;
    // the default band is 0.5%: 0.5 × 1.005 on the 0.0001 tick
    expect(buy).toMatchObject({ type: 'LIMIT', price: 0.5025, status: 'FILLED', clientOrderId: expect.stringMatching(/^bd-\d+$/) });
    expect(emu.requests({ method: 'POST', path: '/api/v3/order' })[0].params).toMatchObject({
      type: 'LIMIT',
      timeInForce: 'IOC',
      side: 'BUY',
    });
    // binance took 0.1% of the coins bought: the position holds what can be sold, on the market's 0.1 step
    expect(p.amount).toBeCloseTo(Math.floor(buy.executedQty * 0.999 * 10) / 10, 9);
    expect(p.entry_price).toBe(0.5);
    const legs = orders.filter((o) => o.side === 'SELL' && o.status === 'NEW');
    expect(legs.map((o) => o.type).sort()).toEqual(['LIMIT_MAKER', 'STOP_LOSS']);
    expect(legs.every((o) => o.origQty === p.amount && o.orderListId === legs[0].orderListId && o.orderListId >= 0)).toBe(true);
    expect(legs.find((o) => o.type === 'STOP_LOSS')!.stopPrice).toBeCloseTo(0.45, 9);
    expect(legs.find((o) => o.type === 'LIMIT_MAKER')!.price).toBeCloseTo(0.55, 9);
    const balances = (await call('getBalances')).balances;
    expect(balances.map((b) => [b.asset, b.total])).toEqual([
      ['XRP', emu.balances().XRP.free + emu.balances().XRP.locked],
      ['USDT', quote()],
    ]);
  });

  it('the take-profit fills on the exchange: a take_profit trade at its fill price whose P&L is exactly what the account gained', async () => {
    await waitFor(async () => (await call('getPositions')).length === 1, 'the open position');
    const before = quote();
    const cost = emu.orders(SYMBOL).find((o) => o.side === 'BUY')!.cummulativeQuoteQty;
    emu.setPrice(SYMBOL, 0.56);
    const trade = await waitFor(
      async () => (await call('getTrades', { query: { limit: '1' } })).trades[0],
      'the take-profit trade',
      10_000,
    );
    expect(trade).toMatchObject({ exit_reason: 'take_profit', exit_price: 0.55 });
    expect(emu.orders(SYMBOL).find((o) => o.type === 'STOP_LOSS')!.status).toBe('EXPIRED');
    // quote in minus quote out, from the account's own balance: the coins the fee took and the unsellable dust are costs
    expectClose(quote() - (before + cost), trade.pnl, 1e-9);
    expect(await call('getPositions')).toEqual([]);
    expect((await call('getOrders', { query: { status: 'open' } })).orders).toEqual([]);
  });

  it("the stop-loss fills on a drop: a stop_loss trade at the exchange's price", async () => {
    emu.setPrice(SYMBOL, 0.5);
    const p = await enter(5);
    emu.setPrice(SYMBOL, 0.44);
    const trade = await waitFor(
      async () => (await call('getTrades', { query: { limit: '1' } })).trades.find((t) => t.position_id === p.id),
      'the stop-loss trade',
      10_000,
    );
    expect(trade.exit_reason).toBe('stop_loss');
    expect(trade.exit_price).toBe(0.44); // a market stop fills at the price it gapped to
  });

  it('a lost acknowledgement: the order was placed, the answer never came; found by its id, exactly one order', async () => {
    emu.setPrice(SYMBOL, 0.5);
    const before = emu.orders(SYMBOL).filter((o) => o.side === 'BUY').length;
    emu.fault({ kind: 'lostAck', path: '/api/v3/order', method: 'POST', mode: 'destroy' });
    const p = await enter(5);
    expect(p.amount).toBeGreaterThan(0);
    expect(emu.orders(SYMBOL).filter((o) => o.side === 'BUY').length).toBe(before + 1);
    await call('closeAll');
    await call('resumeBot');
  });

  it('refusals change nothing: insufficient funds, a rate limit, a request that never arrived', async () => {
    const buysBefore = emu.orders(SYMBOL).filter((o) => o.side === 'BUY').length;
    const positionsBefore = (await call('getPositions')).length;
    const usdt = emu.balances().USDT.free;
    emu.setBalance('USDT', 1); // the bot still believes it has its equity; the exchange knows better
    await expect(enter(5)).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/InsufficientFunds/) });
    emu.setBalance('USDT', usdt);
    emu.fault({ kind: '429', path: '/api/v3/order', method: 'POST', retryAfterS: 1 });
    await expect(enter(5)).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/DDoSProtection|RateLimit/) });
    emu.fault({ kind: 'drop', path: '/api/v3/order', method: 'POST', mode: 'destroy' });
    await expect(enter(5)).rejects.toMatchObject({ status: 502 });
    // the dropped order is watched until the grace period proves it was never placed
    await waitFor(
      async () => (await call('getOrders', { query: { status: 'open' } })).orders.length === 0,
      'the unknown order to be settled',
      10_000,
    );
    expect(emu.orders(SYMBOL).filter((o) => o.side === 'BUY').length).toBe(buysBefore);
    expect((await call('getPositions')).length).toBe(positionsBefore);
    expect((await call('getStatus')).state).toBe('running');
    expect(events.some((e) => e.type === 'error' && e.data.code === 'order_rejected')).toBe(true);
  }, 30_000);

  it('a 503 on placement is an unknown outcome: looked up, not resent; a refused SL/TP pair leaves the stop alone resting', async () => {
    emu.setPrice(SYMBOL, 0.5);
    const buys = emu.orders(SYMBOL).filter((o) => o.side === 'BUY').length;
    emu.fault({ kind: '503', path: '/api/v3/order', method: 'POST' });
    await expect(enter(5)).rejects.toMatchObject({ status: 502 });
    expect(emu.orders(SYMBOL).filter((o) => o.side === 'BUY').length).toBe(buys);
    await waitFor(
      async () => (await call('getOrders', { query: { status: 'open' } })).orders.length === 0,
      'the unknown order to be settled',
      10_000,
    );
    // an unknown outcome, then the exchange answering again: a reconciliation runs
    expect(rt.logger.tail('info', 200).some((r) => r.msg === 'reconciled with the exchange after a reconnect')).toBe(true);
    // binance refuses a limit price beyond 5× the market: a 900% take-profit cannot rest, the stop-loss still does
    await call('updateConfig', { body: { take_profit_pct: 900 } });
    const p = await enter(5);
    const resting = emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW');
    expect(resting.map((o) => [o.type, o.origQty])).toEqual([['STOP_LOSS', p.amount]]);
    expect(rt.logger.tail('warn', 50).some((r) => /pair was refused .*resting the stop-loss alone/.test(r.msg))).toBe(true);
    await call('closeAll');
    await call('resumeBot');
    await call('updateConfig', { body: { take_profit_pct: 10 } });
    expect(emu.orders(SYMBOL).filter((o) => o.status === 'NEW')).toEqual([]);
  }, 30_000);

  it('after 5 failed exchange calls in a row the bot pauses itself and says why', async () => {
    emu.setPrice(SYMBOL, 0.5);
    await enter(5); // resting protection gives the watcher something to check
    emu.fault({ kind: '503', path: '/api/v3/openOrders', times: Infinity });
    const status = await waitFor(
      async () => {
        const s = await call('getStatus');
        return s.state === 'paused' ? s : null;
      },
      'the self-pause',
      30_000,
      100,
    );
    expect(status.paused_reason).toMatch(/5 exchange calls failed in a row/);
    expect(events.some((e) => e.type === 'error' && e.data.code === 'exchange_error' && /failed in a row/.test(e.data.message))).toBe(true);
    // the link's state is marked for desktop notifications and monitors: lost now, restored once the exchange answers
    const link = (value: string) =>
      events.filter((e) => e.type === 'log' && (e.data as Record<string, unknown>)[CONNECTION_LOG_FIELD] === value);
    expect(link('lost').map((e) => e.type === 'log' && e.data.msg)).toEqual([
      expect.stringMatching(/^binance: 5 exchange calls failed in a row/),
    ]);
    expect(link('restored')).toEqual([]);
    emu.clearFaults();
    await waitFor(() => link('restored').length === 1, 'the exchange answering again', 10_000);
  }, 40_000);

  it('a restart finds the stop that filled while the bot was down: the right trade, no second order, foreign orders reported', async () => {
    const [p] = (await call('getPositions')) as Position[];
    await rt.close();
    emu.setPrice(SYMBOL, 0.4);
    // someone places an order by hand on the same account while the bot is down
    const byHand = emulatorClient(emu);
    await byHand.createOrder(SYMBOL, 'limit', 'buy', 20, 0.3, { clientOrderId: 'by-hand-1' });
    const postsBefore = emu.requests({ method: 'POST' }).length;
    await open();
    const trades = (await call('getTrades', { query: { limit: '10' } })).trades as Trade[];
    const trade = trades.find((t) => t.position_id === p.id)!;
    expect(trade).toMatchObject({ exit_reason: 'stop_loss', exit_price: 0.4 });
    expect(await call('getPositions')).toEqual([]);
    expect(emu.requests({ method: 'POST' }).length).toBe(postsBefore); // nothing sent again
    const status = await call('getStatus');
    expect(status.state).toBe('paused'); // as it was left
    expect(status.attention).toEqual([
      expect.stringMatching(/1 order\(s\) rest on the exchange that this bot did not place .*by-hand-1.*left alone/),
    ]);
    expect(emu.order({ symbol: SYMBOL, clientOrderId: 'by-hand-1' })!.status).toBe('NEW'); // not touched
  });

  it('never lets the keys out: not in responses, events, logs or the data directory', async () => {
    const seen = JSON.stringify([await call('getStatus'), await call('getConfig'), events, rt.logger.tail('debug', 5000)]);
    for (const secret of [DEFAULT_API_KEY, DEFAULT_SECRET]) {
      expect(seen).not.toContain(secret);
      // not the lock file: opening it by hand in this process would drop the lock (POSIX), and it holds no secrets
      for (const f of readdirSync(dataDir).filter((n) => n !== 'botdesk.lock.db'))
        expect(readFileSync(join(dataDir, f)).includes(secret), f).toBe(false);
    }
  });
});

describe('a position whose protection disappears', () => {
  it('gets its stop-loss and take-profit back when someone cancels them on the exchange by hand', async () => {
    await withLiveBot({ dir: 'bare', closeSoonMs: 10_000 }, async ({ emu, call }) => {
      const { position } = await call('openPosition', { body: { size_pct: 5 } });
      const byHand = emulatorClient(emu, { adjustForTimeDifference: true });
      await byHand.loadMarkets();
      const first = new Set(
        emu
          .orders(SYMBOL)
          .filter((o) => o.side === 'SELL')
          .map((o) => o.clientOrderId),
      );
      await byHand.cancelAllOrders(SYMBOL);
      // the watcher sees the pair gone and the bot rests a new one at once (the next candle would too)
      const resting = await waitFor(
        () => {
          const legs = emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW');
          return legs.length === 2 && legs.every((o) => !first.has(o.clientOrderId)) ? legs : null;
        },
        'the protection to rest again',
        30_000,
        100,
      );
      expect(resting.map((o) => [o.type, o.origQty]).sort()).toEqual([
        ['LIMIT_MAKER', position.amount],
        ['STOP_LOSS', position.amount],
      ]);
    });
  }, 60_000);
});

describe('a position left without its stop while the market is below it', () => {
  it('is sold at the next candle as a stop-loss (the exchange refuses a stop that would trigger at once)', async () => {
    await withLiveBot({ dir: 'through', closeSoonMs: 10_000 }, async ({ emu, call }) => {
      const { position } = await call('openPosition', { body: { size_pct: 5 } });
      const byHand = emulatorClient(emu, { adjustForTimeDifference: true });
      await byHand.loadMarkets();
      await byHand.cancelAllOrders(SYMBOL);
      emu.setPrice(SYMBOL, 0.44); // below the 0.45 stop, with nothing resting to catch it
      const trade = await waitFor(
        async () => ((await call('getTrades', { query: { limit: '5' } })).trades as Trade[]).find((t) => t.position_id === position.id),
        'the sale at the next candle',
        30_000,
        100,
      );
      expect(trade).toMatchObject({ exit_reason: 'stop_loss', exit_price: 0.44, amount: position.amount });
      expect(await call('getPositions')).toEqual([]);
      expect(emu.orders(SYMBOL).filter((o) => o.status === 'NEW')).toEqual([]);
    });
  }, 60_000);
});

describe('an exit that fills in part', () => {
  it('a take-profit filled in part is a trade for that part; the rest keeps its stop and is sold at the next candle past the target; the trades add up to what the account gained', async () => {
    await withLiveBot({ dir: 'partial', closeSoonMs: 12_000 }, async ({ emu, rt, call }) => {
      const quote = () => emu.balances().USDT.free + emu.balances().USDT.locked;
      const tradesOf = async (positionId: number) =>
        ((await call('getTrades', { query: { limit: '10' } })).trades as Trade[]).filter((t) => t.position_id === positionId);
      const restingSells = () => emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW');
      const before = quote();
      const { position } = await call('openPosition', { body: { size_pct: 5 } });
      const target = restingSells().find((o) => o.type === 'LIMIT_MAKER')!;

      // the market reaches the take-profit but the book takes only 40 % of it; binance expires the stop of the pair
      emu.setPrice(SYMBOL, 0.56, { fillRatio: 0.4 });
      const [part] = await waitFor(
        async () => {
          const t = await tradesOf(position.id);
          return t.length ? t : null;
        },
        'the part sold',
        10_000,
      );
      const sold = emu.order({ symbol: SYMBOL, clientOrderId: target.clientOrderId })!.executedQty;
      expect(sold).toBeGreaterThan(0);
      expect(sold).toBeLessThan(position.amount);
      expect(part).toMatchObject({ exit_reason: 'take_profit', exit_price: 0.55, amount: sold });
      // the rest is protected again at once: the market is past the target, so binance refuses a new pair and the
      // stop rests alone for the rest's size while the bot watches the target
      const [stop] = await waitFor(() => (restingSells().length === 1 ? restingSells() : null), 'the stop back on the rest', 10_000, 50);
      const [rest] = (await call('getPositions')) as Position[];
      expect(rest.amount).toBeCloseTo(position.amount - sold, 9);
      expect([stop.type, stop.origQty, stop.stopPrice]).toEqual(['STOP_LOSS', rest.amount, position.stop_loss_price]);

      // the next candle closes past the target: the rest is sold at market as a take-profit
      const trades = await waitFor(
        async () => {
          const t = await tradesOf(position.id);
          return t.length === 2 ? t : null;
        },
        'the rest sold at the next candle',
        30_000,
        100,
      );
      expect(trades.find((t) => t.id !== part.id)).toMatchObject({ exit_reason: 'take_profit', exit_price: 0.56, amount: rest.amount });
      expect(await call('getPositions')).toEqual([]);
      expect((await call('getOrders', { query: { status: 'open' } })).orders).toEqual([]);
      expect(restingSells()).toEqual([]);
      // the position's trades carry its whole entry fee between them: their P&L is what the account gained
      const pnl = trades.reduce((s, t) => s + t.pnl, 0);
      expectClose(quote() - before, pnl, 1e-9);
      const stats = await call('getStats');
      expect(stats.trades_count).toBe(2);
      expectClose(stats.realized_pnl, pnl, 1e-9);
      expect(rt.logger.tail('info', 50).some((r) => /sold [\d.]+ of position #\d+ \(take_profit, filled in part\)/.test(r.msg))).toBe(true);
    });
  }, 60_000);
});

describe('a key revoked while the bot runs', () => {
  it('pauses the bot at the first refusal with the reason, without retrying (binance says -2015, ccxt calls it DDoSProtection)', async () => {
    await withLiveBot({ dir: 'revoked' }, async ({ emu, call }) => {
      await call('getBalances');
      emu.setCredentials({ apiKey: 'rotatedKey', secret: 'rotatedSecret' });
      const asked = emu.requests({ path: '/api/v3/account' }).length;
      // balance reads are shared and kept for a second: ask until the kept answer has expired and the exchange is asked
      const refusal = await waitFor(
        () =>
          call('getBalances').then(
            () => null,
            (e: unknown) => e,
          ),
        'a balance read that reaches the exchange',
        10_000,
        100,
      );
      expect(refusal).toMatchObject({ status: 502, message: expect.stringMatching(/-2015/) });
      expect(emu.requests({ path: '/api/v3/account' }).length).toBe(asked + 1);
      const status = await call('getStatus');
      expect(status.state).toBe('paused');
      expect(status.paused_reason).toMatch(/the exchange refused the API key/);
    });
  }, 30_000);
});
