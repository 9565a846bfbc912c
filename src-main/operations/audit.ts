import type { AuditRecord, CallerContext } from '../../src-shared/contract';
import type { Logger } from '../engine/log/logger';

/** Records who did what: every control operation, whichever transport it came through. */
export type Audit = (action: string, caller: CallerContext, detail?: Record<string, unknown>) => void;

/** The audit log in the bot's database, each entry also a log line. */
export function createAudit(o: { store: { appendAudit(r: Omit<AuditRecord, 'id'>): unknown }; logger: Logger; now?: () => number }): Audit {
  const now = o.now ?? Date.now;
  return (action, caller, detail = {}) => {
    o.store.appendAudit({ ts: now(), action, actor: caller.actor, detail });
    o.logger.info(`${action} by ${caller.actor}`, detail);
  };
}
