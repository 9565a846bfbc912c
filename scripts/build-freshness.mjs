// Is a build output at least as new as every source it is built from? Shared by npm start, npm run serve and the
// browser tests, so none of them ever runs a stale bundle or serves a stale dashboard.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** true when `output` exists and no file under `sourceDirs` (those that exist) is newer */
export function isFresh(output, sourceDirs) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return sourceDirs.filter((d) => existsSync(d)).every((d) => newestMtime(d) <= built);
}
