import type { ErrorBody } from '../contract';

/** Every failed call, whatever the transport: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly fields: Record<string, string>;

  constructor(status: number, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fields = fields;
  }

  static fromBody(status: number, body: unknown): ApiError {
    const b = (body ?? {}) as Partial<ErrorBody>;
    const message = typeof b.error === 'string' && b.error ? b.error : `Request failed (${status}).`;
    const fields = b.fields && typeof b.fields === 'object' ? b.fields : {};
    return new ApiError(status, message, fields);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** A message fit for a toast, whatever was thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
