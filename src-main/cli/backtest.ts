/**
 * npm run backtest -- --candles FILE [--config FILE] [--json]
 * The same engine as paper/live over a candle file. With --json, stdout carries one JSON document and nothing else.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type BotConfig } from '../../src-shared/contract';
import { loadCandleFile, detectTimeframe, marketFromFileName, CandleFileError } from '../engine/feeds/candle-file';
import { loadConfigFile, ConfigFileError } from '../engine/config/config-file';
import { runBacktest } from '../engine/backtest/backtest';

const USAGE = 'usage: npm run backtest -- --candles FILE [--config FILE] [--json]';

function fail(message: string): never {
  process.stderr.write(`backtest: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        candles: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!args.values.candles) fail(`--candles FILE is required\n${USAGE}`);
  let config: BotConfig = DEFAULT_CONFIG;
  try {
    if (args.values.config) config = loadConfigFile(args.values.config);
    const series = loadCandleFile(args.values.candles);
    const named = marketFromFileName(args.values.candles, series);
    const market = named ?? { symbol: config.symbol, timeframe: detectTimeframe(series) ?? config.timeframe };
    if (market.symbol !== config.symbol || market.timeframe !== config.timeframe) {
      process.stderr.write(
        `backtest: the file holds ${market.symbol} ${market.timeframe} candles; using that instead of the config's ${config.symbol} ${config.timeframe}\n`,
      );
      config = { ...config, ...market };
    }
    const started = process.hrtime.bigint();
    const result = await runBacktest({ series, config });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (args.values.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return;
    }
    const s = result.stats;
    const f = (n: number, d = 2) => n.toFixed(d);
    const lines = [
      `BotDesk backtest: ${series.count} candles of ${config.symbol} ${config.timeframe}, strategy ${config.strategy.name} ${JSON.stringify(config.strategy.params)}`,
      `  ran in ${f(seconds * 1000, 1)} ms (${Math.round(series.count / seconds).toLocaleString('en-US')} candles/s)`,
      `  equity        ${f(s.start_equity)} → ${f(s.equity)} ${s.stake_currency}`,
      `  realised P&L  ${f(s.realized_pnl)}   unrealised ${f(s.unrealized_pnl)}   fees ${f(s.fees_paid)}`,
      `  trades        ${s.trades_count} (${s.wins} won, ${s.losses} lost, win rate ${f(s.win_rate * 100, 1)} %)`,
      `  profit factor ${s.profit_factor === null ? 'n/a' : f(s.profit_factor)}   max drawdown ${f(s.max_drawdown_pct)} %`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } catch (e) {
    if (e instanceof CandleFileError || e instanceof ConfigFileError) fail(e.message);
    throw e;
  }
}

main().catch((e) => fail(`unexpected error: ${(e as Error).message}`));
