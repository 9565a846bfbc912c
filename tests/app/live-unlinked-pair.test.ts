// Where an exchange cannot link a stop-loss and a take-profit (no OCO list), only the stop rests: a second sell
// would hold the coins the stop needs when it triggers, and rest on after the stop sold them. The bot watches the
// take-profit itself and sells at market at the first close past it; after a restart the stop alone is still what
// rests. A live bot with the real ccxt client against the binance emulator, told not to link pairs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OperationName, Position, Trade } from '../../src-shared/contract';
import type { BotRuntime } from '../../src-main/app/runtime';
import { invokeOperation, type RawInput } from '../../src-main/operations/invoke-operation';
import { startBinanceEmulator, type BinanceEmulator } from '../exchange-emulator/server';
import { HANDS_ONLY, openLiveRuntime, SYMBOL, withLiveBot } from '../helpers/live-bot';
import { waitFor } from '../helpers/wait';

const UNLINKED = { live: { watchEveryMs: 100, linkedPairs: false } };

/** our orders resting on the exchange: type and list (-1: an order of its own) */
const resting = (emu: BinanceEmulator) =>
  emu
    .orders(SYMBOL)
    .filter((o) => o.status === 'NEW')
    .map((o) => [o.type, o.orderListId]);

const caller =
  (rt: BotRuntime) =>
  <N extends OperationName>(name: N, raw: RawInput = {}) =>
    invokeOperation(rt.handlers, name, raw, { actor: 'test' });

const tradeOf = async (call: ReturnType<typeof caller>, positionId: number) =>
  ((await call('getTrades', { query: { limit: '5' } })).trades as Trade[]).find((t) => t.position_id === positionId);

describe('a stop-loss and take-profit the exchange cannot link', () => {
  it('rests the stop alone; the bot sells at the take-profit at the close, cancelling the stop first', async () => {
    await withLiveBot({ dir: 'unlinked', runtime: UNLINKED, closeSoonMs: 6_000 }, async ({ emu, rt, call }) => {
      const { position } = (await call('openPosition', { body: { size_pct: 5 } })) as { position: Position };
      expect(resting(emu)).toEqual([['STOP_LOSS', -1]]);
      // the entry and the stop, nothing else: no take-profit was sent to be refused for the coins the stop holds
      expect(emu.requests({ method: 'POST', path: '/api/v3/order' })).toHaveLength(2);
      emu.setPrice(SYMBOL, 0.56); // past the take-profit at 0.55: the candle closes there
      const trade = await waitFor(() => tradeOf(caller(rt), position.id), 'the take-profit trade', 30_000);
      expect(trade.exit_reason).toBe('take_profit');
      expect(resting(emu)).toEqual([]);
      expect(emu.balances().XRP).toEqual({ free: 0, locked: 0 });
    });
  }, 60_000);

  it('after a restart the stop alone still rests, and its fill closes the position', async () => {
    const emu = await startBinanceEmulator({ balances: { USDT: 10_000 } });
    emu.setPrice(SYMBOL, 0.5);
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-unlinked-restart-'));
    try {
      const first = await openLiveRuntime(dataDir, emu, UNLINKED);
      await caller(first)('updateConfig', { body: HANDS_ONLY });
      await caller(first)('startBot');
      const { position } = (await caller(first)('openPosition', { body: { size_pct: 5 } })) as { position: Position };
      await first.close();

      const second = await openLiveRuntime(dataDir, emu, UNLINKED);
      try {
        expect(resting(emu)).toEqual([['STOP_LOSS', -1]]); // nothing added or sent twice by the restart
        emu.setPrice(SYMBOL, 0.44); // through the stop at 0.45
        const trade = await waitFor(() => tradeOf(caller(second), position.id), 'the stop-loss trade');
        expect(trade.exit_reason).toBe('stop_loss');
        expect(resting(emu)).toEqual([]);
        expect(emu.balances().XRP).toEqual({ free: 0, locked: 0 });
      } finally {
        await second.close();
      }
    } finally {
      await emu.close();
    }
  }, 60_000);
});
