// A bot process for crash tests: the real runtime on a data dir, synthetic market at full speed, no API.
import { createBotRuntime } from '../../src-main/app/runtime';
import { invokeOperation } from '../../src-main/operations/invoke-operation';

const dataDir = process.argv[2];
const runtime = await createBotRuntime({ dataDir, market: { kind: 'synthetic', seed: 7 }, replaySpeed: 'max' });
await invokeOperation(
  runtime.handlers,
  'updateConfig',
  { body: { stop_loss_pct: 0.3, take_profit_pct: 0.4, position_size_pct: 10, max_positions: 5, max_daily_loss_pct: 0 } },
  { actor: 'test' },
);
process.stdout.write('ready\n');
