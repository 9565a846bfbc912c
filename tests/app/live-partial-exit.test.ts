// A market exit the exchange fills only in part (binance: the MARKET order ends EXPIRED with executedQty < origQty):
// the bot books a trade for the part sold with its share of the entry fee, keeps the rest open and protected on the
// exchange, says so in its answer, and the account agrees with positions + trades at every step.
import { describe, expect, it } from 'vitest';
import type { Position, Trade } from '../../src-shared/contract';
import { expectClose, expectStatsMatchTrades } from '../helpers/money';
import { SYMBOL, withLiveBot } from '../helpers/live-bot';
import { waitFor } from '../helpers/wait';

describe('a market exit that fills in part', () => {
  it('closePosition and close-all: a trade for the part, the rest re-protected, the account equal to positions + trades', async () => {
    await withLiveBot({ dir: 'partial-exit' }, async ({ emu, call }) => {
      const held = (asset: string) => emu.balances()[asset].free + emu.balances()[asset].locked;
      const usdtBefore = held('USDT');
      const { position } = await call('openPosition', { body: { size_pct: 5 } });
      // binance keeps its 0.1 % commission in XRP and the position holds what is on the 0.1 step: the rest is dust
      const dust = held('XRP') - position.amount;
      const trades = async () =>
        ((await call('getTrades', { query: { limit: '20' } })).trades as Trade[]).filter((t) => t.position_id === position.id);
      const restingSells = () => emu.orders(SYMBOL).filter((o) => o.side === 'SELL' && o.status === 'NEW');
      const lastSell = () =>
        emu
          .orders(SYMBOL)
          .filter((o) => o.side === 'SELL' && o.type === 'MARKET')
          .at(-1)!;
      /** what the account holds is what the open positions and the booked trades say, to 1e-9 */
      const accountAgrees = async () => {
        const open = (await call('getPositions')) as Position[];
        const booked = await trades();
        expectClose(held('XRP'), open.reduce((s, p) => s + p.amount, 0) + dust);
        const inPositions = open.reduce((s, p) => s + p.amount * p.entry_price + p.entry_fee, 0);
        expectClose(held('USDT') - usdtBefore, booked.reduce((s, t) => s + t.pnl, 0) - inPositions);
        return { open, booked };
      };
      /** the rest rests with its stop again, for exactly what is left */
      const reprotected = async (rest: Position) => {
        const legs = await waitFor(() => (restingSells().length ? restingSells() : null), 'the protection back', 10_000, 50);
        expect(legs.find((o) => o.type === 'STOP_LOSS')).toMatchObject({ origQty: rest.amount, stopPrice: position.stop_loss_price });
        expect(legs.every((o) => o.origQty === rest.amount)).toBe(true);
      };

      // closing by hand: the book takes 40 %
      emu.partialMarketFill(SYMBOL, 0.4);
      const refused = await call('closePosition', { params: { id: String(position.id) } }).catch((e: Error & { status: number }) => e);
      const first = lastSell();
      expect(first).toMatchObject({ status: 'EXPIRED', origQty: position.amount });
      let {
        open: [rest],
        booked,
      } = await accountAgrees();
      expect(refused).toMatchObject({
        status: 409,
        message: `Position ${position.id} was sold only in part (${first.executedQty} of ${position.amount}); the rest (${rest.amount}) stays open with its stop-loss. See GET /bot/trades.`,
      });
      expect(booked).toEqual([expect.objectContaining({ exit_reason: 'manual', amount: first.executedQty, exit_price: 0.5 })]);
      expectClose(rest.amount, position.amount - first.executedQty);
      expectClose(rest.entry_fee, position.entry_fee * (rest.amount / position.amount));
      await reprotected(rest);

      // close-all: half of what is left; the answer lists the part sold and the status the position still open
      emu.partialMarketFill(SYMBOL, 0.5);
      const partly = await call('closeAll');
      const second = lastSell();
      expect(second).toMatchObject({ status: 'EXPIRED', origQty: rest.amount });
      expect(partly.closed).toEqual([
        expect.objectContaining({ exit_reason: 'close_all', amount: second.executedQty, position_id: position.id }),
      ]);
      expect(partly.status).toMatchObject({ state: 'paused', open_positions: 1 });
      ({
        open: [rest],
        booked,
      } = await accountAgrees());
      expectClose(rest.amount, position.amount - first.executedQty - second.executedQty);
      await reprotected(rest);

      // close-all again, the book whole: nothing left, and the three trades carry the whole entry fee between them
      const all = await call('closeAll');
      expect(all.closed).toEqual([expect.objectContaining({ exit_reason: 'close_all', amount: rest.amount })]);
      const end = await accountAgrees();
      expect(end.open).toEqual([]);
      expect(end.booked).toHaveLength(3);
      expect(restingSells()).toEqual([]);
      expectClose(
        end.booked.reduce((s, t) => s + t.fee - t.amount * t.exit_price * 0.001, 0),
        position.entry_fee,
      );
      expectStatsMatchTrades(await call('getStats'), end.booked);
    });
  }, 60_000);
});
