// Where an exchange cannot link a stop-loss and a take-profit (no OCO list), the pair rests as two orders and the
// adapter keeps the port's promise that a fill of one ends the other: it cancels the survivor on the exchange, so no
// leg of a closed position rests there selling coins the bot no longer holds. The real ccxt client against the
// binance emulator, told not to link pairs.
import { afterEach, describe, expect, it } from 'vitest';
import { openExchange } from '../../src-main/engine/adapters/ccxt/open-exchange';
import { marketRules } from '../../src-main/engine/adapters/ccxt/market-rules';
import { CcxtExchange } from '../../src-main/engine/adapters/ccxt/ccxt.exchange';
import type { OrderRequest } from '../../src-main/engine/ports/exchange.port';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { waitFor } from '../helpers/wait';

const SYMBOL = 'XRP/USDT';

describe('a stop-loss and take-profit the exchange cannot link', () => {
  let emu: BinanceEmulator | undefined;
  let adapter: CcxtExchange | undefined;
  afterEach(async () => {
    adapter?.close();
    await emu?.close();
  });

  async function unlinkedPair(): Promise<{ notes: string[] }> {
    emu = await startBinanceEmulator({ balances: { USDT: 1_000, XRP: 100 } });
    emu.setPrice(SYMBOL, 0.5);
    const exchange = await openExchange(
      { id: 'binance', sandbox: false, apiUrl: emu.url },
      { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET },
    );
    const notes: string[] = [];
    adapter = new CcxtExchange({
      exchange,
      rules: marketRules(exchange, SYMBOL),
      linkedPairs: false,
      watchEveryMs: 50,
      note: (level, msg) => notes.push(`${level}: ${msg}`),
    });
    const stop: OrderRequest = {
      clientOrderId: 'bd-1',
      symbol: SYMBOL,
      side: 'sell',
      type: 'stop_market',
      amount: 20,
      triggerPrice: 0.45,
      ocoGroup: 'p1',
    };
    const target: OrderRequest = {
      clientOrderId: 'bd-2',
      symbol: SYMBOL,
      side: 'sell',
      type: 'limit',
      amount: 20,
      price: 0.55,
      ocoGroup: 'p1',
    };
    const [s, t] = await adapter.placeProtection(stop, target);
    expect([s.status, t.status]).toEqual(['open', 'open']);
    // two orders of their own, not one list
    expect(emu.orders(SYMBOL).map((o) => [o.clientOrderId, o.status, o.orderListId])).toEqual([
      ['bd-1', 'NEW', -1],
      ['bd-2', 'NEW', -1],
    ]);
    return { notes };
  }

  it('cancels the stop-loss on the exchange when the take-profit fills', async () => {
    const { notes } = await unlinkedPair();
    emu!.setPrice(SYMBOL, 0.56);
    await waitFor(() => adapter!.takeUpdates().some((u) => u.clientOrderId === 'bd-2' && u.status === 'filled'), 'the take-profit filled');
    await waitFor(() => emu!.order({ symbol: SYMBOL, clientOrderId: 'bd-1' })?.status === 'CANCELED', 'the stop-loss cancelled');
    expect(emu!.orders(SYMBOL).filter((o) => o.status === 'NEW')).toEqual([]);
    // what the pair held is free again, less what the take-profit sold
    await waitFor(() => emu!.balances().XRP.locked === 0, 'nothing locked');
    expect(emu!.balances().XRP.free).toBeCloseTo(80, 9);
    expect(notes.some((n) => /bd-1 cancelled: its partner bd-2 filled/.test(n))).toBe(true);
  });

  it('cancels the take-profit when the stop-loss fills', async () => {
    await unlinkedPair();
    emu!.setPrice(SYMBOL, 0.44);
    await waitFor(() => emu!.order({ symbol: SYMBOL, clientOrderId: 'bd-2' })?.status === 'CANCELED', 'the take-profit cancelled');
    expect(emu!.order({ symbol: SYMBOL, clientOrderId: 'bd-1' })?.status).toBe('FILLED');
    expect(emu!.orders(SYMBOL).filter((o) => o.status === 'NEW')).toEqual([]);
  });

  it('leaves the partner alone when a leg is cancelled (the bot replaces or closes the pair itself)', async () => {
    await unlinkedPair();
    expect((await adapter!.cancelOrder('bd-1'))?.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 300)); // a few watch rounds
    expect(emu!.order({ symbol: SYMBOL, clientOrderId: 'bd-2' })?.status).toBe('NEW');
  });
});
