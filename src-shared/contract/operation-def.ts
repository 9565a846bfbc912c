// What an operation declares (method, path, scope, inputs, answers) and the parameter schemas operations share.
import { z } from 'zod';

/** epoch ms or ISO-8601 (contract: query parameters from/to accept both). */
export const TimeParamSchema = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be epoch milliseconds or an ISO-8601 date')
    .transform((s) => Date.parse(s)),
]);
export const limitParam = (max: number, dflt: number) =>
  z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1).max(max)).default(dflt);

export type Scope = 'public' | 'read' | 'control';

export interface OperationDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** path under /api/v1; `:id` segments become `params` */
  path: string;
  scope: Scope;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** the header `If-Match` is passed as `if_match` */
  ifMatch?: boolean;
  /**
   * Only through the desktop window (IPC), never over the management API: exchange keys and live limits go in there
   * and nowhere else (docs/security.md S3: the API cannot touch them, so a leaked token cannot lift a limit). No HTTP route, not in the OpenAPI document or the terminal client.
   */
  ipcOnly?: boolean;
  /**
   * What the operation may answer besides 200, input errors (400) and the token's (401, 403, 429), and why: the
   * OpenAPI document lists these per route, and a handler answering a status not declared here is a bug (tests run
   * with BOTDESK_STRICT_STATUSES=1, which turns one into a failure).
   */
  errors?: Partial<Record<ErrorStatus, string>>;
  output: z.ZodType;
}

export type ErrorStatus = 403 | 404 | 409 | 502;

export const def = <T extends OperationDef>(d: T) => d;
/** a from/to window must not be upside down; the error names `from` */
export const orderedWindow = (q: { from?: number; to?: number }, ctx: z.RefinementCtx) => {
  if (q.from !== undefined && q.to !== undefined && q.from > q.to)
    ctx.addIssue({ code: 'custom', message: 'must not be after to', path: ['from'] });
};
export const IdParams = z.strictObject({ id: z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number) });
export const Empty = z.strictObject({});
