// Can Electron run here? Shared by `npm start` (which falls back to headless when not) and the Electron end-to-end
// test (which says plainly why it skipped). No download here: that is `npm start`'s first-run business.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const electronDir = (root) => join(root, 'node_modules', 'electron');

/** the binary's path, or null while it is not downloaded (requiring 'electron' would try to download it) */
export function electronBinary(root) {
  const pathFile = join(electronDir(root), 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir(root), 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** null when a window can be shown, else why not */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display: DISPLAY and WAYLAND_DISPLAY are unset';
  return null;
}

/**
 * better-sqlite3 is compiled for Node's ABI by npm ci; Electron's differs until `electron-rebuild` runs (packaged
 * builds do it). Ask Electron itself, as Node, whether it can open a database, rather than crash the window later.
 */
export function nativeModulesProblem(root, binary) {
  const probe = spawnSync(binary, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'ignore', 'ignore'], timeout: 30_000,
  });
  return probe.status === 0 ? null : 'better-sqlite3 is built for Node, not Electron; "npx electron-rebuild -f -w better-sqlite3" fixes that for the desktop app (npm run serve keeps working either way)';
}
