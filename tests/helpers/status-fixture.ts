// A running paper bot's status as GET /bot/status answers it, for tests of what the tray, the notifications and the
// stores make of one; each test changes only the fields it is about.
import { StatusSchema, type Status } from '../../src-shared/contract';

export const statusOf = (patch: Partial<Status> = {}): Status =>
  StatusSchema.parse({
    state: 'running',
    running: true,
    mode: 'paper',
    exchange: 'paper',
    market: 'replay',
    sandbox: false,
    symbol: 'XRP/USDT',
    stake_currency: 'USDT',
    timeframe: '5m',
    started_at: 1,
    uptime_s: 10,
    open_positions: 0,
    pending_orders: 0,
    equity: 10_000,
    today_pnl: 0,
    equity_ts: 1,
    last_price: 0.5,
    last_cycle_at: 1,
    config_version: 1,
    applied_config_version: 1,
    paused_reason: null,
    paused_at: null,
    attention: [],
    ...patch,
  });
