import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../operations/atomic-file';

export const TOKEN_FILE = 'api-token';
/** the optional read-only token set from the settings (BOT_API_READ_TOKEN wins over it) */
export const READ_TOKEN_FILE = 'api-read-token';
export const MIN_TOKEN_LENGTH = 16;

/** 32 random bytes, base64url (docs/contract.md §2). */
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

/**
 * A rotated control token: written (0600, atomically) before anything switches to it, so a crash leaves the old token
 * or the new one in the file, and the file always holds the token the server answers to.
 */
export function writeControlToken(dataDir: string, token: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(join(dataDir, TOKEN_FILE), token + '\n', 0o600);
}

/** BOT_API_READ_TOKEN if set, else the token saved from the settings, else none */
export function loadReadToken(opts: { dataDir: string; envToken?: string }): string | undefined {
  if (opts.envToken !== undefined) return opts.envToken;
  const file = join(opts.dataDir, READ_TOKEN_FILE);
  if (!existsSync(file)) return undefined;
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return checked(readFileSync(file, 'utf8').trim(), file);
}

/** saves (0600, atomically) or removes the settings' read-only token */
export function writeReadToken(dataDir: string, token: string | null): void {
  const file = join(dataDir, READ_TOKEN_FILE);
  if (token === null) return rmSync(file, { force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(file, token + '\n', 0o600);
}

function checked(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new Error(`the API token in ${where} must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
  }
  return token;
}
