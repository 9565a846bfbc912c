/**
 * What the tray shows, as data: tooltip, icon state and menu, from the bot's status (today's P&L included). No Electron here
 * (shell/tray.ts draws it), so every rule about what is enabled when is tested under Node.
 */
import type { Status } from '../../src-shared/contract';
import { tradingMode } from '../../src-shared/trading-mode';
import { quoteOf, signedQuote } from './money-text';
import { isSelfPauseReason } from '../../src-shared/pause-reasons';

export const TRAY_ACTIONS = ['open_dashboard', 'start', 'pause', 'resume', 'stop', 'close_all', 'copy_token', 'quit'] as const;
export type TrayActionId = (typeof TRAY_ACTIONS)[number];

/** running, paused, stopped; `alert` when the bot paused itself or something needs a person */
export type TrayIconState = 'running' | 'paused' | 'stopped' | 'alert';

/** asked before the action runs; the action runs only on `button` */
export interface TrayConfirmation {
  message: string;
  detail: string;
  button: string;
}

export type TrayMenuItem =
  | { kind: 'info'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: TrayActionId; label: string; enabled: boolean; confirm?: TrayConfirmation };

export interface TrayView {
  tooltip: string;
  icon: TrayIconState;
  menu: TrayMenuItem[];
}

export interface TrayFacts {
  /** equity, today's P&L and the open count as one status marks them: the dashboard's and the fleet row's figures */
  status: Status;
}

/** Windows cuts tray tooltips at 127 characters */
export const TOOLTIP_MAX = 127;
const REASON_MAX = 80;

const STATE_WORD: Record<Status['state'], string> = { running: 'running', paused: 'paused', stopped: 'stopped' };

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function closeAllConfirmation(status: Status): TrayConfirmation {
  const mode = tradingMode(status);
  const money = status.mode === 'live' ? ` ${mode.label}: ${mode.detail}.` : '';
  return {
    message: `Close ${plural(status.open_positions, 'position')} at market?`,
    detail: `New entries pause first, so the strategy cannot buy straight back in.${money}`,
    button: 'Close at market',
  };
}

export function trayView({ status }: TrayFacts): TrayView {
  const mode = tradingMode(status);
  const quote = quoteOf(status.symbol);
  const today = signedQuote(status.today_pnl, quote);
  const selfPaused = status.state === 'paused' && isSelfPauseReason(status.paused_reason);
  const attention = status.attention.length;
  const icon: TrayIconState = selfPaused || attention > 0 ? 'alert' : status.state;
  const stateLine = selfPaused
    ? `Paused by itself: ${clip(status.paused_reason as string, REASON_MAX)}`
    : `State: ${STATE_WORD[status.state]}`;

  const tooltipParts = ['BotDesk', mode.label, status.symbol, selfPaused ? 'paused by itself' : STATE_WORD[status.state], `today ${today}`];
  if (attention > 0) tooltipParts.push('needs attention');

  const stopped = status.state === 'stopped';
  const info = (label: string): TrayMenuItem => ({ kind: 'info', label });
  const action = (id: TrayActionId, label: string, enabled: boolean, confirm?: TrayConfirmation): TrayMenuItem =>
    confirm ? { kind: 'action', id, label, enabled, confirm } : { kind: 'action', id, label, enabled };
  const separator: TrayMenuItem = { kind: 'separator' };

  const menu: TrayMenuItem[] = [
    info(`${mode.label} · ${status.symbol} ${status.timeframe}`),
    info(stateLine),
    info(`Today: ${today}`),
    ...(attention > 0 ? [info(`Needs attention: ${plural(attention, 'finding')} (see the dashboard)`)] : []),
    separator,
    action('open_dashboard', 'Open dashboard', true),
    separator,
    action('start', 'Start', stopped),
    status.state === 'paused' ? action('resume', 'Resume entries', true) : action('pause', 'Pause entries', status.state === 'running'),
    action('stop', 'Stop', !stopped),
    action(
      'close_all',
      status.open_positions > 0 ? `Close all positions (${status.open_positions})…` : 'Close all positions…',
      status.open_positions > 0,
      status.open_positions > 0 ? closeAllConfirmation(status) : undefined,
    ),
    separator,
    action('copy_token', 'Copy API token', true),
    separator,
    action('quit', 'Quit BotDesk', true),
  ];
  return { tooltip: clip(tooltipParts.join(' · '), TOOLTIP_MAX), icon, menu };
}
