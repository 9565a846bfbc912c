import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

const HINT_FILE = 'tray-hint-shown';

/**
 * True exactly once per data directory: the first time the window closes, the person is told the bot keeps running
 * in the tray. Remembered as a file created exclusively, so two windows closing at once cannot both say it.
 */
export function firstTrayHint(dataDir: string): boolean {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    closeSync(openSync(join(dataDir, HINT_FILE), 'wx', 0o600));
    return true;
  } catch {
    // already said (EEXIST), or a data directory we cannot write to: better silent than told on every close
    return false;
  }
}
