import { z } from 'zod';

export const ErrorBodySchema = z.object({
  success: z.literal(false),
  error: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The one error body of every adapter (docs/contract.md §3): one human sentence, plus `fields` on validation errors. */
export const errorBody = (error: string, fields?: Record<string, string>): ErrorBody =>
  fields ? { success: false, error, fields } : { success: false, error };

/** An expected failure of an operation (bad input, state conflict, not found, the exchange refused or could not be
 * reached: 502); adapters map `status` onto HTTP or IPC. */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 502,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
  toBody(): ErrorBody {
    return errorBody(this.message, this.fields);
  }
}

/** zod issues → `{field: why}` with dotted paths; the root issue is keyed by `where`. */
export function fieldsOf(error: z.ZodError, where: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    let key = issue.path.map(String).join('.') || where;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[issue.path.length ? `${key}.${k}` : k] = 'unknown field';
      continue;
    }
    if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) message = `expected ${issue.expected}`;
    if (!(key in fields)) fields[key] = message;
    key = '';
  }
  return fields;
}
