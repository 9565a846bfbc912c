// A live bot on a fresh binance emulator, driven by hand: the set-up the live tests share.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime, type BotRuntimeOptions } from '../../src-main/app/runtime';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import type { OperationName } from '../../src-shared/contract';
import {
  DEFAULT_API_KEY,
  DEFAULT_SECRET,
  startBinanceEmulator,
  type BinanceEmulator,
  type EmulatorOptions,
} from '../exchange-emulator/server';

export const SYMBOL = 'XRP/USDT';
/** entries only by hand, stop and target far enough that only the test's price moves trigger them */
export const HANDS_ONLY = {
  enabled: false,
  stop_loss_pct: 10,
  take_profit_pct: 10,
  position_size_pct: 10,
  max_positions: 3,
  max_daily_loss_pct: 10,
};

/**
 * The environment of an `npm run serve` process trading live through the emulator: its default keys in a fresh 0600
 * key file (the only way keys reach a live process), the live confirmation given. `extra` adds or overrides variables.
 */
export function liveServeEnv(emu: BinanceEmulator, extra: Record<string, string> = {}): Record<string, string> {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'botdesk-keys-')), 'keys.json');
  writeFileSync(keyFile, JSON.stringify({ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }), { mode: 0o600 });
  return {
    BOT_MODE: 'live',
    BOT_MARKET: 'live',
    BOT_LIVE_CONFIRM: 'yes',
    BOT_EXCHANGE_API_URL: emu.url,
    BOT_EXCHANGE_KEY_FILE: keyFile,
    ...extra,
  };
}

/** A live runtime on `dataDir` trading through the emulator with its default keys; `extra` adds or overrides options. */
export function openLiveRuntime(dataDir: string, emu: BinanceEmulator, extra: Partial<BotRuntimeOptions> = {}): Promise<BotRuntime> {
  return createBotRuntime({
    dataDir,
    mode: 'live',
    market: { kind: 'live' },
    exchange: { id: 'binance', sandbox: false, apiUrl: emu.url },
    credentials: { apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET },
    live: { watchEveryMs: 150 },
    ...extra,
  });
}

/**
 * A bot trading XRP/USDT by hand only (HANDS_ONLY, started) against a fresh emulator at 0.5; `closeSoonMs` sets the
 * exchange's clock that far short of a 5-minute close, so the next candle comes within seconds.
 */
export async function withLiveBot(
  o: { dir: string; closeSoonMs?: number; runtime?: Partial<BotRuntimeOptions>; emulator?: EmulatorOptions },
  body: (bot: {
    emu: BinanceEmulator;
    rt: BotRuntime;
    call: <N extends OperationName>(name: N, raw?: RawInput) => ReturnType<typeof invokeOperation<N>>;
  }) => Promise<void>,
): Promise<void> {
  const emu = await startBinanceEmulator({ balances: { USDT: 10_000 }, ...o.emulator });
  emu.setPrice(SYMBOL, 0.5);
  if (o.closeSoonMs !== undefined) {
    const now = Date.now();
    emu.setClockOffset(Math.ceil(now / 300_000) * 300_000 - o.closeSoonMs - now);
  }
  const rt = await openLiveRuntime(mkdtempSync(join(tmpdir(), `botdesk-live-${o.dir}-`)), emu, o.runtime);
  const call = <N extends OperationName>(name: N, raw: RawInput = {}) => invokeOperation(rt.handlers, name, raw, { actor: 'test' });
  try {
    await call('updateConfig', { body: HANDS_ONLY });
    await call('startBot');
    await body({ emu, rt, call });
  } finally {
    await rt.close();
    await emu.close();
  }
}
