import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'api-token';
const MIN_TOKEN_LENGTH = 16;

/** 32 random bytes, base64url (contract §2). */
export const generateToken = (): string => randomBytes(32).toString('base64url');

/**
 * The control token: BOT_API_TOKEN if set, else the one in BOT_DATA_DIR/api-token, else a new one written there
 * with mode 0600 (created exclusively, so two starting processes cannot write different tokens).
 */
export function loadOrCreateControlToken(opts: { dataDir: string; envToken?: string }): string {
  if (opts.envToken !== undefined) return checked(opts.envToken, 'BOT_API_TOKEN');
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = join(opts.dataDir, TOKEN_FILE);
  if (!existsSync(file)) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, generateToken() + '\n');
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  // a token file others can read is tightened rather than trusted as is
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return checked(readFileSync(file, 'utf8').trim(), file);
}

function checked(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new Error(`the API token in ${where} must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
  }
  return token;
}
