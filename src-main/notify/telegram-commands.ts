/**
 * The Telegram bot's commands (docs/contract.md §10). Each one is an operation of the table, called the way the API
 * calls it (same checks, same refusals, audited with the actor `telegram`); this file only picks the operation and
 * words the answer for a phone screen. /closeall acts only on its confirm button, pressed within 60 s.
 */
import { randomBytes } from 'node:crypto';
import { ServiceError, type OperationName, type OperationOutput } from '../../src-shared/contract';
import { tradingMode } from '../../src-shared/trading-mode';
import { errorLine } from '../engine/log/redact';
import { signedQuote } from '../desktop/money-text';

/** runs one operation as the API would (input parsed by its schema, answer filtered by its output schema) */
export type OperationCall = <N extends OperationName>(name: N, body?: Record<string, never>) => Promise<OperationOutput<N>>;

export interface CommandReply {
  text: string;
  buttons?: { text: string; data: string }[];
}

export const TELEGRAM_COMMANDS: [string, string][] = [
  ['/status', 'state, mode, market, equity, positions'],
  ['/profit', "today's and total P&L, win rate"],
  ['/positions', 'open positions'],
  ['/balance', "the market's base and quote balances"],
  ['/pause', 'no new entries (open positions stay managed)'],
  ['/resume', 'entries again after a pause'],
  ['/stop', 'stop the trading loop'],
  ['/start', 'start the trading loop'],
  ['/closeall', 'close every position at market (asks first)'],
  ['/help', 'this list'],
];

export const HELP_TEXT = `BotDesk commands:\n${TELEGRAM_COMMANDS.map(([c, s]) => `${c} — ${s}`).join('\n')}`;
const SHORT_HELP = `Unknown command. Try ${TELEGRAM_COMMANDS.map(([c]) => c).join(' ')}`;

const TRANSITIONS = { '/pause': 'pauseBot', '/resume': 'resumeBot', '/stop': 'stopBot', '/start': 'startBot' } as const;

const CONFIRM_PREFIX = 'closeall:';

export interface CommandHandler {
  /** a message's text from the configured chat */
  command(text: string): Promise<CommandReply>;
  /** a button's callback data from the configured chat: the answer for answerCallbackQuery and, if it acted, a reply */
  button(data: string): Promise<{ answer: string; reply?: CommandReply }>;
}

export function createCommandHandler(o: { call: OperationCall; confirmWindowMs?: number; now?: () => number }): CommandHandler {
  const now = o.now ?? Date.now;
  const window = o.confirmWindowMs ?? 60_000;
  /** confirmation nonce → when it was offered; each works once */
  const offered = new Map<string, number>();

  const refused = (e: unknown): CommandReply => ({
    text: e instanceof ServiceError ? `Refused: ${e.message}` : `Failed: ${errorLine(e)}`,
  });

  const status = async (): Promise<CommandReply> => {
    const s = await o.call('getStatus');
    const money = (v: number) => `${v.toFixed(2)} ${s.stake_currency}`;
    const lines = [
      `${s.state.toUpperCase()} · ${tradingMode(s).label} · ${s.symbol} ${s.timeframe}`,
      s.paused_reason ? `Paused: ${s.paused_reason}` : null,
      `Equity ${money(s.equity)} · today ${signedQuote(s.today_pnl, s.stake_currency)}`,
      `${s.open_positions} open position${s.open_positions === 1 ? '' : 's'}, ${s.pending_orders} pending order${s.pending_orders === 1 ? '' : 's'}`,
      ...s.attention.map((a) => `Attention: ${a}`),
    ];
    return { text: lines.filter(Boolean).join('\n') };
  };

  const profit = async (): Promise<CommandReply> => {
    const st = await o.call('getStats');
    const q = st.stake_currency;
    return {
      text: [
        `Today ${signedQuote(st.today_pnl, q)}`,
        `Total ${signedQuote(st.realized_pnl, q)} realised, ${signedQuote(st.unrealized_pnl, q)} open`,
        `Win rate ${(st.win_rate * 100).toFixed(1)}% (${st.wins} won, ${st.losses} lost of ${st.trades_count})`,
      ].join('\n'),
    };
  };

  const positions = async (): Promise<CommandReply> => {
    const list = await o.call('getPositions');
    if (!list.length) return { text: 'No open positions.' };
    const quote = list[0].symbol.split('/')[1] ?? '';
    return {
      text: list
        .map(
          (p) =>
            `#${p.id} ${p.symbol} ${p.amount} @ ${p.entry_price} → ${p.current_price} (${signedQuote(p.unrealized_pnl, quote)})${p.dust ? ' dust' : ''}`,
        )
        .join('\n'),
    };
  };

  const balance = async (): Promise<CommandReply> => {
    const { balances } = await o.call('getBalances');
    return { text: balances.map((b) => `${b.asset}: ${b.total} (free ${b.free}, in orders ${b.used})`).join('\n') || 'No balances.' };
  };

  const transition = async (cmd: keyof typeof TRANSITIONS): Promise<CommandReply> => {
    const r = await o.call(TRANSITIONS[cmd], {});
    return { text: `${r.changed ? 'Now' : 'Already'} ${r.status.state}.` };
  };

  const askCloseAll = async (): Promise<CommandReply> => {
    const s = await o.call('getStatus');
    for (const [nonce, at] of offered) if (now() - at > window) offered.delete(nonce);
    const nonce = randomBytes(8).toString('hex');
    offered.set(nonce, now());
    return {
      text: `Close ${s.open_positions} position${s.open_positions === 1 ? '' : 's'} at market and pause entries? Press the button within ${Math.round(window / 1000)} s.`,
      buttons: [{ text: 'Close all positions', data: CONFIRM_PREFIX + nonce }],
    };
  };

  return {
    async command(text) {
      const word = text.trim().split(/\s+/)[0]?.toLowerCase().replace(/@\w+$/, '') ?? '';
      try {
        if (word === '/status') return await status();
        if (word === '/profit') return await profit();
        if (word === '/positions') return await positions();
        if (word === '/balance') return await balance();
        if (word in TRANSITIONS) return await transition(word as keyof typeof TRANSITIONS);
        if (word === '/closeall') return await askCloseAll();
        if (word === '/help') return { text: HELP_TEXT };
        return { text: SHORT_HELP };
      } catch (e) {
        return refused(e);
      }
    },
    async button(data) {
      const nonce = data.startsWith(CONFIRM_PREFIX) ? data.slice(CONFIRM_PREFIX.length) : '';
      const at = offered.get(nonce);
      offered.delete(nonce);
      if (at === undefined || now() - at > window) return { answer: 'This confirmation has expired or was used; send /closeall again.' };
      try {
        const r = await o.call('closeAll', {});
        const pnl = r.closed.reduce((sum, t) => sum + t.pnl, 0);
        const quote = r.status.stake_currency;
        return {
          answer: 'Closing all positions.',
          reply: {
            text: `Closed ${r.closed.length} position${r.closed.length === 1 ? '' : 's'} (${signedQuote(pnl, quote)}); entries are paused. ${r.status.open_positions} still open.`,
          },
        };
      } catch (e) {
        return { answer: 'Close all failed.', reply: refused(e) };
      }
    },
  };
}
