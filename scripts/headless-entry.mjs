// Which headless entry to run: the built bundle (out/main/headless.js) when it is at least as new as every source
// it is built from, otherwise the sources through tsx. The bundle answers the API with less CPU per request; the
// fallback means an edit is never hidden behind a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** [command, ...args] for process.execPath */
export function headlessArgs(root) {
  const built = join(root, 'out', 'main', 'headless.js');
  if (existsSync(built)) {
    const sources = ['src-main', 'src-shared'].map((d) => join(root, d)).filter(existsSync);
    if (sources.every((d) => newestMtime(d) <= statSync(built).mtimeMs)) return [built];
  }
  return ['--import', 'tsx', join(root, 'src-main', 'headless.ts')];
}
