import { z } from 'zod';

/** POST /api/v1/session: the dashboard trades the one-time code of the printed login link for its token. */
export const SessionRequestSchema = z.strictObject({ code: z.string().min(1).max(200) });
export const SessionResponseSchema = z.object({ token: z.string(), scope: z.enum(['read', 'control']) });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;
