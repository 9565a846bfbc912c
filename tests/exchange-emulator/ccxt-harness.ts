/**
 * The test side of the emulator: an emulator with 10,000 USDT and the real ccxt binance client pointed at it, with
 * markets loaded and the request log cleared, as each emulator test starts.
 */
import ccxt, { type Order, type binance } from 'ccxt';
import { pointCcxtAt } from './ccxt-origin';
import { type BinanceEmulator, DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator } from './server';

export interface Connected {
  emu: BinanceEmulator;
  ex: binance;
  /** another client on the same emulator, e.g. with other keys */
  client(over?: { apiKey?: string; secret?: string }): binance;
}

/**
 * The real ccxt binance client on the emulator, spot only, with the default keys unless told otherwise (also what a
 * person's own script on the same account looks like). `adjustForTimeDifference` for an emulator whose clock was moved.
 */
export function emulatorClient(
  emu: BinanceEmulator,
  over: { apiKey?: string; secret?: string; adjustForTimeDifference?: boolean } = {},
): binance {
  const c = new ccxt.binance({
    apiKey: over.apiKey ?? DEFAULT_API_KEY,
    secret: over.secret ?? DEFAULT_SECRET,
    enableRateLimit: false,
    timeout: 5_000,
    options: {
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      ...(over.adjustForTimeDifference ? { adjustForTimeDifference: true } : {}),
    },
  });
  pointCcxtAt(c, emu.url);
  return c;
}

export async function connect(): Promise<Connected> {
  const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
  const client = (over: { apiKey?: string; secret?: string } = {}): binance => emulatorClient(emu, over);
  const ex = client();
  await ex.loadMarkets();
  emu.clearRequests();
  return { emu, ex, client };
}

/** ccxt types an order id as possibly undefined; every order here has one */
export const idOf = (o: Order): string => {
  if (!o.id) throw new Error('order without an id');
  return o.id;
};
