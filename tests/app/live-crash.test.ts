// A real `npm run serve` process trading live against the binance emulator, killed with SIGKILL while a position is
// open; its stop fills on the exchange while it is down. The restarted process finds the fill: the right trade at the
// exchange's price, nothing sent twice. Keys come only from a 0600 file and never show in the output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Position, Status, Trade } from '../../src-shared/contract';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { startServer, type RunningServer } from '../e2e/server-process';
import { waitFor } from '../helpers/wait';
import { liveServeEnv } from '../helpers/live-bot';

const SYMBOL = 'XRP/USDT';
const root = resolve(import.meta.dirname, '../..');

describe('live trading survives kill -9', () => {
  let emu: BinanceEmulator;
  let server: RunningServer | undefined;
  let env: Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-crash-'));

  beforeAll(async () => {
    emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    env = liveServeEnv(emu);
  });
  afterAll(async () => {
    await server?.stop();
    await emu?.close();
  });

  it('refuses a key file others can read, in one line, before touching anything', () => {
    const loose = join(mkdtempSync(join(tmpdir(), 'botdesk-keys-')), 'keys.json');
    writeFileSync(loose, JSON.stringify({ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }));
    chmodSync(loose, 0o644);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/headless.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        ...env,
        BOT_EXCHANGE_KEY_FILE: loose,
        BOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'botdesk-loose-')),
        BOT_API_PORT: '0',
      },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/BOT_EXCHANGE_KEY_FILE=.* is readable by others \(mode 0644\); run "chmod 600/),
    ]);
    expect(emu.requests({ method: 'POST' })).toEqual([]);
  });

  it("finds the stop that filled while it was dead: one stop_loss trade at the exchange's price, no order sent twice", async () => {
    server = await startServer({ dataDir, env });
    expect((await server.api<Status>('GET', '/bot/status')).body).toMatchObject({
      state: 'stopped',
      mode: 'live',
      market: 'live',
      exchange: 'binance',
    });
    expect((await server.api('PUT', '/bot/config', { enabled: false, stop_loss_pct: 10, take_profit_pct: 10 })).status).toBe(200);
    expect((await server.api('POST', '/bot/start')).status).toBe(200);
    const opened = await server.api<{ position: Position }>('POST', '/bot/positions', { size_pct: 5 });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const p = opened.body.position;
    expect(emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW')).toHaveLength(2);

    await server.stop('SIGKILL');
    emu.setPrice(SYMBOL, 0.44);
    expect(emu.orders(SYMBOL).find((o) => o.type === 'STOP_LOSS')!.status).toBe('FILLED');
    const posts = emu.requests({ method: 'POST' }).length;

    server = await startServer({ dataDir, env });
    const trade = await waitFor(
      async () => (await server!.api<{ trades: Trade[] }>('GET', '/bot/trades?limit=5')).body.trades.find((t) => t.position_id === p.id),
      'the stop_loss trade',
    );
    expect(trade).toMatchObject({ exit_reason: 'stop_loss', exit_price: 0.44, amount: p.amount });
    expect((await server.api<Position[]>('GET', '/bot/positions')).body).toEqual([]);
    expect(emu.requests({ method: 'POST' }).length).toBe(posts);
    expect((await server.api<Status>('GET', '/bot/status')).body.state).toBe('running'); // as it was left
    for (const secret of [DEFAULT_API_KEY, DEFAULT_SECRET]) expect(server.output()).not.toContain(secret);
  }, 90_000);
});
