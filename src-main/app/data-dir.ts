import { accessSync, constants, mkdirSync } from 'node:fs';
import { currentUser } from './lock-owner';

/** The data directory cannot be created or written: one line naming it (headless exits 1 with it). */
export class DataDirError extends Error {}

/** creates the data directory (0700) when missing and checks this user may write it, before anything is written there */
export function ensureWritableDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new DataDirError(
      `the data directory ${dataDir} is not writable by user ${currentUser()} (${code}); fix its permissions, or set BOT_DATA_DIR to a folder this user may write`,
    );
  }
}
