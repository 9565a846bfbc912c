import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * How much of a refused body is still read (and thrown away) after the 413: a client that is still sending when the
 * answer goes out would otherwise see its connection reset instead of the answer (the kernel answers unread bytes on a
 * closed socket with RST, which discards what the client had not read yet). Past this the connection is cut.
 */
export const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

/** A body the server refuses; `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads a JSON request body: at most 1 MiB (413), `Content-Type: application/json` required for any non-empty body
 * (415: a cross-site form or text/plain POST never reaches an operation), and keys that could reach an object's
 * prototype rejected (400). An empty body reads as `undefined`.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    discardBody(req, 0);
    return Promise.reject(new BodyError(413, 'The request body is larger than 1 MiB.'));
  }
  const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !isJsonType(req.headers['content-type'])) {
    return Promise.reject(new BodyError(415, 'The request body must be JSON (Content-Type: application/json).'));
  }
  if (!hasBody) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        req.removeAllListeners('data');
        discardBody(req, size);
        reject(new BodyError(413, 'The request body is larger than 1 MiB.'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (e) => {
      failed = true;
      reject(e);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(parseJsonSafely(text));
      } catch (e) {
        reject(e instanceof BodyError ? e : new BodyError(400, 'The request body is not valid JSON.'));
      }
    });
  });
}

/** reads the rest of a refused body into nothing, up to MAX_DISCARD_BYTES, so the answer reaches the client (see above) */
function discardBody(req: IncomingMessage, alreadyRead: number): void {
  let discarded = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD_BYTES) req.socket.destroy();
  });
  req.resume();
}

export function parseJsonSafely(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new BodyError(400, `The key "${key}" is not allowed in a request body.`);
    return value;
  });
}

function isJsonType(type: string | undefined): boolean {
  if (!type) return false;
  const mime = type.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}
