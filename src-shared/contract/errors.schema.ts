import { z } from 'zod';

export const ErrorBodySchema = z.object({
  success: z.literal(false),
  error: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The one error body of every adapter (contract §3): one human sentence, plus `fields` on validation errors. */
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
