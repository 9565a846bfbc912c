#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run; otherwise one line saying why, then the headless mode
// (bot + API + dashboard as a web page) so a newcomer always gets a working bot and its dashboard URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, desktopIsFresh, ensureDashboard, headlessArgs } from './headless-entry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const electronDir = join(root, 'node_modules', 'electron');

/** the binary's path, or null while it is not downloaded (requiring 'electron' would try to download it) */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** null when Electron can start here, else the reason it cannot */
function whyNoElectron() {
  if (!existsSync(electronDir)) return 'the electron package is not installed';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display: DISPLAY and WAYLAND_DISPLAY are unset';
  if (electronBinary()) return nativeModulesProblem();
  // first run on a machine with a display: fetch the binary once, as `electron` itself would
  process.stderr.write('BotDesk: downloading the Electron binary (first run)…\n');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'], timeout: 180_000 });
  if (r.status !== 0 || !electronBinary()) return 'the Electron binary could not be downloaded';
  return nativeModulesProblem();
}

/**
 * better-sqlite3 is compiled for Node's ABI by npm ci; Electron's differs until `electron-rebuild` runs (packaged
 * builds do it). Ask Electron itself, as Node, whether it can open a database, rather than crash the window later.
 */
function nativeModulesProblem() {
  const probe = spawnSync(electronBinary(), ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'ignore', 'ignore'], timeout: 30_000,
  });
  return probe.status === 0 ? null : 'better-sqlite3 is built for Node, not Electron; "npx electron-rebuild -f -w better-sqlite3" fixes that for the desktop app (npm run serve keeps working either way)';
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    process.stderr.write(`BotDesk: could not start: ${e.message}\n`);
    process.exit(1);
  });
}

function headless(reason) {
  process.stderr.write(`BotDesk: Electron cannot start here (${reason}); running headless instead.\n`);
  ensureDashboard(root);
  run(process.execPath, headlessArgs(root));
}

try {
  const reason = whyNoElectron();
  if (reason !== null) headless(reason);
  else if (!desktopIsFresh(root) && !build(root, 'first run or sources changed')) headless('the app could not be built');
  else run(electronBinary(), [root]);
} catch (e) {
  // never a stack trace for a start-up check; the headless mode is always there
  headless(`the start-up check failed: ${e instanceof Error ? e.message : String(e)}`);
}
