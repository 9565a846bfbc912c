/**
 * The reasons a pause carries in the status. A person's Pause leaves no reason; close-all pauses in a person's name;
 * every other reason (kill switch, exchange trouble, a market that could not be opened) is the bot pausing itself,
 * which a person should hear about.
 */
const CLOSE_ALL_PREFIX = 'close-all by ';

export const closeAllPauseReason = (actor: string): string => `${CLOSE_ALL_PREFIX}${actor}`;

/** a pause reason that no person asked for */
export const isSelfPauseReason = (reason: string | null): reason is string => !!reason && !reason.startsWith(CLOSE_ALL_PREFIX);
