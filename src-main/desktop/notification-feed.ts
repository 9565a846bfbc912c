/**
 * Feeds the bot's events to the notification rules and hands what they decide to `show` (Electron's Notification at
 * the desktop boundary). Events published together — one cause publishes a log line, an error and a status at once —
 * reach the rules as one burst, so the rules can tell that cause once. Held summaries are shown when their window ends.
 */
import type { BotEvent } from '../../src-shared/contract';
import type { EventFeed } from '../engine/events/event-bus';
import type { DesktopNotification, NotificationRules } from './notification-rules';

export interface NotificationFeedOptions {
  events: Pick<EventFeed, 'subscribe'>;
  rules: NotificationRules;
  show(notification: DesktopNotification): void;
  now?: () => number;
}

/** Starts listening; returns the function that stops it. */
export function startNotificationFeed(o: NotificationFeedOptions): () => void {
  const now = o.now ?? Date.now;
  let burst: BotEvent[] = [];
  let burstScheduled = false;
  let summaryTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  const show = (list: DesktopNotification[]) => {
    for (const n of list) o.show(n);
    scheduleSummary();
  };

  const scheduleSummary = () => {
    if (summaryTimer) clearTimeout(summaryTimer);
    summaryTimer = null;
    const due = o.rules.dueAt;
    if (due === null || stopped) return;
    summaryTimer = setTimeout(
      () => {
        summaryTimer = null;
        if (!stopped) show(o.rules.flush(now()));
      },
      Math.max(0, due - now()),
    );
    summaryTimer.unref?.();
  };

  const unsubscribe = o.events.subscribe((event) => {
    burst.push(event);
    if (burstScheduled) return;
    burstScheduled = true;
    // after everything the current call stack (and its promise callbacks) publishes
    setImmediate(() => {
      burstScheduled = false;
      const events = burst;
      burst = [];
      if (!stopped) show(o.rules.take(events, now()));
    });
  });

  return () => {
    stopped = true;
    unsubscribe();
    if (summaryTimer) clearTimeout(summaryTimer);
  };
}
