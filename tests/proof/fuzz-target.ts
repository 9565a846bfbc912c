// The app as headless composes it (startDesk), made into a fuzz target: a quiet bot (stopped, one position open) whose
// state is read in-process before and after each request, and tokens followed as the fuzz rotates them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invokeOperation } from '../../src-main/operations/invoke-operation';
import type { OperationName } from '../../src-shared/contract';
import type { DeskHarness } from '../helpers/desk-harness';
import { waitFor } from '../helpers/wait';
import type { FuzzTarget } from './route-fuzz';

const fileOr = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').trim() : null);

export async function deskFuzzTarget(desk: DeskHarness): Promise<FuzzTarget> {
  const { handlers } = desk.services.runtime;
  const call = <N extends OperationName>(name: N, raw = {}) => invokeOperation(handlers, name, raw, { actor: 'test', scope: 'control' });
  // a position to close, a read token to use, then a bot that holds still
  await call('updateConfig', { body: { enabled: false, stop_loss_pct: 20, take_profit_pct: 20 } });
  await call('startBot');
  await waitFor(async () => (await call('getStatus')).last_price !== null, 'a first price');
  await call('openPosition', { body: { size_pct: 5 } });
  await call('setReadToken', { body: {} });
  await call('stopBot');
  const tokens = () => ({ control: fileOr(join(desk.dataDir, 'api-token'))!, read: fileOr(join(desk.dataDir, 'api-read-token')) });

  return {
    host: '127.0.0.1',
    port: desk.services.api.port,
    tokens,
    async snapshot() {
      const { uptime_s: _u, ...status } = await call('getStatus');
      return {
        status,
        config: await call('getConfig'),
        positions: await call('getPositions'),
        trades: await call('getTrades', { query: { limit: '1000' } }),
        orders: await call('getOrders', { query: { status: 'all', limit: '1000' } }),
        cashflows: await call('getCashflows'),
        fleet: (await call('getFleet')).bots.map((b) => [b.id, b.name, b.url]),
        tokens: tokens(),
        settings: fileOr(join(desk.dataDir, 'settings.json')),
      };
    },
    // a 200 may start the bot (start, resume, a fleet call): stop it again so the next snapshot compares a still bot
    async settle() {
      if ((await call('getStatus')).state !== 'stopped') await call('stopBot');
      // a 200 may have removed the read token: a new one keeps the read-scope requests meaningful
      if (tokens().read === null) await call('setReadToken', { body: {} });
    },
  };
}
