// Can Electron run here? Shared by `npm start` (which falls back to headless when not) and the Electron end-to-end
// test (which says plainly why it skipped). No download here: that is `npm start`'s first-run business.
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
