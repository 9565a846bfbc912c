/** Human output of `botdesk notify` and `botdesk notify test` (docs/contract.md §10). */
import type { NotifyTestResult, NotifyView } from '../../../src-shared/contract';
import { dateTime, pairs, table } from './text';

export function formatNotify(v: NotifyView): string {
  const on = Object.entries(v.kinds)
    .filter(([, yes]) => yes)
    .map(([k]) => k);
  const head = pairs([
    ['source', v.source === 'file' ? 'BOT_NOTIFY_FILE' : v.source],
    ['kinds', on.length ? on.join(', ') : 'none'],
    [
      'telegram',
      v.telegram
        ? `chat ${v.telegram.chat_id}, token …${v.telegram.token_last4}, ${v.telegram.state}; ${v.telegram.commands_handled} commands, ${v.telegram.ignored_other_chats} from other chats ignored`
        : 'off',
    ],
  ]);
  const sinks = v.sinks.length
    ? table(
        ['sink', 'what', 'state', 'delivered', 'failed', 'dropped', 'retries', 'queued', 'last delivered', 'last error'],
        v.sinks.map((s) => [
          s.sink,
          s.label,
          s.state,
          String(s.delivered),
          String(s.failed),
          String(s.dropped),
          String(s.retries),
          String(s.queued),
          dateTime(s.last_delivered_at),
          s.last_error ?? '-',
        ]),
        new Set([3, 4, 5, 6, 7]),
      )
    : 'no webhook or Telegram chat is set up';
  return `${head}\n${sinks}\n${v.note}`;
}

export function formatNotifyTest(r: NotifyTestResult): string {
  return r.results.map((x) => `${x.ok ? 'ok    ' : 'FAILED'}  ${x.label}: ${x.detail} (${x.ms} ms)`).join('\n');
}
