import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The dashboard may talk only to this server; no inline script, no framing. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export interface StaticFile {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/**
 * The built dashboard, read into memory once per file (it is a few hundred kB). Paths are confined to the folder;
 * unknown paths without an extension fall back to index.html (client-side screens).
 */
export class StaticFiles {
  private readonly cache = new Map<string, StaticFile | null>();

  constructor(private readonly dir: string) {}

  get(urlPath: string): StaticFile | null {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (rel.includes('\0')) return null;
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(this.dir, rel));
    if (!file.startsWith(this.dir.endsWith(sep) ? this.dir : this.dir + sep)) return null;
    const hit = this.cache.get(file);
    if (hit !== undefined) return hit;
    const loaded = this.load(file) ?? (extname(rel) === '' ? this.get('/index.html') : null);
    if (this.cache.size < 500) this.cache.set(file, loaded);
    return loaded;
  }

  private load(file: string): StaticFile | null {
    try {
      if (!statSync(file).isFile()) return null;
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      // vite puts content hashes in asset names, so they can be cached for good; index.html never is
      return { body: readFileSync(file), type, immutable: file.includes(`${sep}assets${sep}`) };
    } catch {
      return null;
    }
  }
}
