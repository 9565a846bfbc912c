// The headless entry and the build it runs from. `npm run serve` and the `npm start` fallback serve the dashboard as
// a web page, so a missing or stale dashboard is built first (one line says so). The entry is the built bundle
// (out/main/headless.js) when it is at least as new as its sources (less CPU per request), else the sources through
// tsx, so an edit is never hidden behind a stale build.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isFresh } from './build-freshness.mjs';

const dirs = (root, names) => names.map((d) => join(root, d));

export const dashboardIsFresh = (root) => isFresh(join(root, 'out', 'renderer', 'index.html'), dirs(root, ['src-renderer', 'src-shared']));
export const desktopIsFresh = (root) =>
  dashboardIsFresh(root) &&
  isFresh(join(root, 'out', 'main', 'index.js'), dirs(root, ['src-main', 'src-shared'])) &&
  isFresh(join(root, 'out', 'preload', 'index.cjs'), dirs(root, ['src-preload', 'src-shared']));

/** electron-vite build (main, preload, renderer); its output is shown only when it fails. true on success */
export function build(root, why) {
  process.stderr.write(`BotDesk: building the app (${why}); this takes a few seconds…\n`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status === 0) return true;
  process.stderr.write(`BotDesk: the build failed:\n${(r.stderr || r.stdout || '').trim()}\n`);
  return false;
}

/** build the dashboard when it is missing or older than its sources; the server runs either way */
export function ensureDashboard(root) {
  if (!dashboardIsFresh(root)) build(root, 'the dashboard is not built yet or its sources changed');
}

/** [command, ...args] for process.execPath */
export function headlessArgs(root) {
  if (isFresh(join(root, 'out', 'main', 'headless.js'), dirs(root, ['src-main', 'src-shared'])))
    return [join(root, 'out', 'main', 'headless.js')];
  return ['--import', 'tsx', join(root, 'src-main', 'headless.ts')];
}

/**
 * Runs the headless entry in this process (npm run serve, the npm start fallback): one Node process, not a wrapper
 * beside the bot. The sources need tsx's loader, registered here first (what `--import tsx` does for a child).
 */
export async function runHeadless(root) {
  const [first, ...rest] = headlessArgs(root);
  if (first !== '--import') return import(pathToFileURL(first).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(rest[rest.length - 1]).href);
}
