import type { SinkStats } from '../../src-shared/contract';
import type { Notifier } from './notifier';

const COUNTERS: [keyof SinkStats & ('delivered' | 'failed' | 'dropped' | 'retries'), string][] = [
  ['delivered', 'Notices a webhook or the Telegram chat accepted.'],
  ['failed', 'Notices given up after their retries, or refused at once.'],
  ['dropped', 'Notices left out: the queue was full (oldest first) or the sink was refused.'],
  ['retries', 'Delivery attempts that failed and were retried.'],
];

/** The sinks' figures in Prometheus text (appended to /metrics); nothing when no sink is configured. */
export function renderNotifyMetrics(notifier: Notifier): string {
  const sinks = notifier.sinks();
  if (!sinks.length) return '';
  let out = '';
  const label = (s: SinkStats) => `{sink="${s.sink}"}`;
  for (const [field, help] of COUNTERS) {
    out += `# HELP botdesk_notify_${field}_total ${help}\n# TYPE botdesk_notify_${field}_total counter\n`;
    for (const s of sinks) out += `botdesk_notify_${field}_total${label(s)} ${s[field]}\n`;
  }
  out += '# HELP botdesk_notify_queued Notices waiting to be sent.\n# TYPE botdesk_notify_queued gauge\n';
  for (const s of sinks) out += `botdesk_notify_queued${label(s)} ${s.queued}\n`;
  const tg = notifier.telegram();
  if (tg) {
    out += '# HELP botdesk_telegram_updates_total Telegram commands and buttons, by whether they came from the configured chat.\n';
    out += '# TYPE botdesk_telegram_updates_total counter\n';
    out += `botdesk_telegram_updates_total{from="configured_chat"} ${tg.handled}\n`;
    out += `botdesk_telegram_updates_total{from="other_chat"} ${tg.ignored}\n`;
    out +=
      '# HELP botdesk_telegram_token_refused 1 when the Telegram API refused the bot token.\n# TYPE botdesk_telegram_token_refused gauge\n';
    out += `botdesk_telegram_token_refused ${tg.state === 'refused' ? 1 : 0}\n`;
  }
  return out;
}
