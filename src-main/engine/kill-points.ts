/**
 * Named moments where the kill tests (tests/proof/kills.test.ts) stop the process dead, to prove recovery from exactly
 * there (docs/architecture.md, "Kill points"). Armed only by BOTDESK_KILL_AT=<point> or <point>:<n> (the n-th time);
 * without it each point is one comparison against null and does nothing. The variable is read once, at start.
 */
export const KILL_POINTS = [
  /** an order's intent is in the journal, the exchange has not heard of it */
  'order-journaled',
  /** the exchange took the order, the journal does not know its outcome yet */
  'order-placed',
  /** an exit's trade is booked, before anyone is told */
  'exit-booked',
  /** a config version is written, before it is announced or applied */
  'config-written',
  /** close-all began: entries paused, positions not yet closed */
  'close-all',
  /** the rotated control token is on disk, the server still answers to the old one */
  'token-written',
  /** reconciliation with the exchange finished, before its findings are stated */
  'reconciled',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

const armed = parse(typeof process === 'undefined' ? undefined : process.env.BOTDESK_KILL_AT);
let passes = 0;

function parse(value: string | undefined): { point: string; nth: number } | null {
  if (!value) return null;
  const [point, nth] = value.split(':');
  return { point, nth: nth ? Math.max(1, Number(nth) || 1) : 1 };
}

export function killPoint(point: KillPoint): void {
  if (armed === null || armed.point !== point || ++passes < armed.nth) return;
  process.kill(process.pid, 'SIGKILL');
}
