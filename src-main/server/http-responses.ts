import type { ServerResponse } from 'node:http';
import { errorBody } from '../../src-shared/contract';

export function sendJson(res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void {
  sendJsonText(res, status, JSON.stringify(body), extra);
}

/** an answer already serialised (the answer cache's bytes) */
export function sendJsonText(res: ServerResponse, status: number, text: string | Buffer, extra?: Record<string, string>): void {
  // a literal per call: the hot path (every GET) builds one small object and nothing else
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  };
  if (extra) Object.assign(headers, extra);
  res.writeHead(status, headers);
  res.end(text);
}

/** Contract §3 error body: one human sentence, plus `fields` on validation errors. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  extra?: Record<string, string>,
  fields?: Record<string, string>,
): void {
  sendJson(res, status, errorBody(error, fields), extra);
}
