/**
 * The emulator on its own, for running the headless bot or a benchmark against it by hand:
 *   npx tsx tests/exchange-emulator/run.ts [--port 8090] [--walk-ms 1000] [--seed 1]
 * Prices take a seeded random walk (0.1 % steps, on each market's tick) every --walk-ms (0 = still).
 * Point the bot at it with BOT_EXCHANGE_API_URL=<printed url>; the keys it accepts are printed (they are fake).
 */
import { startBinanceEmulator, DEFAULT_API_KEY, DEFAULT_SECRET } from './server';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number ≥ 0`);
  return v;
}

const port = arg('port', 0);
const walkMs = arg('walk-ms', 1000);
let seed = arg('seed', 1) || 1;
/** xorshift: the same seed walks the same path */
const random = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return ((seed >>> 0) % 1_000_000) / 1_000_000;
};

const emu = await startBinanceEmulator({ port });
console.log(`Binance emulator listening on ${emu.url}`);
console.log(JSON.stringify({ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }));

const timer =
  walkMs > 0
    ? setInterval(() => {
        for (const m of emu.markets()) {
          if (m.status !== 'TRADING') continue;
          const next = emu.price(m.symbol) * (1 + (random() - 0.5) * 0.002);
          const onTick = Math.max(m.tickSize, Math.round(next / m.tickSize) * m.tickSize);
          emu.setPrice(m.symbol, onTick.toFixed(8));
        }
      }, walkMs)
    : undefined;

const stop = () => {
  if (timer) clearInterval(timer);
  void emu.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
