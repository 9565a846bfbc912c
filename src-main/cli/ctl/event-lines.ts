/** One line per event: `HH:MM:SS seq type summary`. */
import type { BotEvent } from '../../../src-shared/contract';
import { extraFields } from './format';
import { clock, money, num, pct, plain, signed } from './text';

function summary(e: BotEvent): string {
  switch (e.type) {
    case 'status_change':
      return `${e.data.state}${e.data.paused_reason ? ` (${e.data.paused_reason})` : ''} ${e.data.symbol} equity ${money(e.data.equity)}, ${e.data.open_positions} open`;
    case 'trade':
      return `#${e.data.id} ${e.data.symbol} ${num(e.data.entry_price)} → ${num(e.data.exit_price)} pnl ${signed(e.data.pnl)} (${pct(e.data.pnl_pct)}) ${e.data.exit_reason}`;
    case 'signal':
      return `${e.data.action} at ${num(e.data.price)}: ${e.data.reason}`;
    case 'order':
      return `#${e.data.id} ${e.data.side} ${e.data.type} ${e.data.purpose} ${num(e.data.amount)} ${e.data.symbol}${e.data.price !== null ? ` @ ${num(e.data.price)}` : ''}${e.data.trigger_price !== null ? ` trigger ${num(e.data.trigger_price)}` : ''} ${e.data.status}`;
    case 'position':
      return `#${e.data.id} ${e.data.status} ${num(e.data.amount)} ${e.data.symbol} at ${num(e.data.entry_price)} stop ${num(e.data.stop_loss_price)} take-profit ${num(e.data.take_profit_price)}`;
    case 'config_changed':
      return `version ${e.data.version} by ${e.data.actor}: ${e.data.changes.map((c) => `${c.field}=${plain(c.to)}`).join(' ') || e.data.reason}`;
    case 'error':
      return `${e.data.code}: ${e.data.message}`;
    case 'log':
      return `${e.data.level} ${e.data.msg} ${extraFields(e.data, ['ts', 'level', 'msg'])}`.trimEnd();
    case 'fleet':
      return fleetSummary(e.data);
    case 'job':
      return `#${e.data.id} ${e.data.kind} ${e.data.state} ${Math.round(e.data.progress * 100)} %`;
    default: {
      // a new event type fails the typecheck here until it has a summary
      const unknownType: never = e;
      return String((unknownType as { type: string }).type);
    }
  }
}

/** the hub's stream (/ws/fleet): which bot, and what happened to it */
function fleetSummary(d: Extract<BotEvent, { type: 'fleet' }>['data']): string {
  switch (d.kind) {
    case 'event':
      return `${d.bot_id}: ${d.event.type} #${d.event.seq}`;
    case 'row':
      return `${d.bot.id} (${d.bot.name}): ${d.bot.health.connection}`;
    case 'removed':
      return `${d.bot_id} removed`;
    case 'alert':
      return `${d.alert.bot_id}: ${d.alert.message}`;
  }
}

export function eventLine(e: BotEvent): string {
  return `${clock(e.ts)} ${e.seq} ${e.type} ${summary(e)}`.trimEnd();
}
