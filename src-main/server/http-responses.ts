import type { ServerResponse } from 'node:http';

const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, extra ? { ...JSON_HEADERS, ...extra, 'Content-Length': Buffer.byteLength(text) } : { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Contract §3 error body: one human sentence, plus `fields` on validation errors. */
export function sendError(res: ServerResponse, status: number, error: string, extra?: Record<string, string>, fields?: Record<string, string>): void {
  sendJson(res, status, fields ? { success: false, error, fields } : { success: false, error }, extra);
}
