import { z } from 'zod';

export const ErrorBodySchema = z.object({
  success: z.literal(false),
  error: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An expected failure of an operation (bad input, state conflict, not found); adapters map `status` onto HTTP or IPC. */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
  toBody(): ErrorBody {
    return this.fields ? { success: false, error: this.message, fields: this.fields } : { success: false, error: this.message };
  }
}
