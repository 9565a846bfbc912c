import type { Status } from './contract';

/**
 * The reasons a pause carries in the status. A person's Pause leaves no reason; close-all pauses in a person's name;
 * every other reason (kill switch, exchange trouble, a market that could not be opened) is the bot pausing itself,
 * which a person should hear about.
 */
const CLOSE_ALL_PREFIX = 'close-all by ';

export const closeAllPauseReason = (actor: string): string => `${CLOSE_ALL_PREFIX}${actor}`;

/** a pause reason that no person asked for */
export const isSelfPauseReason = (reason: string | null): reason is string => !!reason && !reason.startsWith(CLOSE_ALL_PREFIX);

/** a status that enters a pause nobody asked for, or gives one a new reason: news for a notification or an alert */
export function becameSelfPaused(
  before: Pick<Status, 'state' | 'paused_reason'> | null,
  now: Pick<Status, 'state' | 'paused_reason'>,
): boolean {
  return (
    now.state === 'paused' &&
    isSelfPauseReason(now.paused_reason) &&
    !(before?.state === 'paused' && before.paused_reason === now.paused_reason)
  );
}
