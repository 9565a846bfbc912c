#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run; otherwise one line saying why, then the headless mode
// (bot + API + dashboard as a web page) so a newcomer always gets a working bot and its dashboard URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayProblem, electronBinary, electronDir } from './electron-check.mjs';
import { build, desktopIsFresh, ensureDashboard, runHeadless } from './headless-entry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * null when Electron can start here, else the reason it cannot. No native module stands in the way: inside Electron
 * the store uses node:sqlite, built into Electron's Node, so nothing has to be rebuilt for Electron's ABI.
 */
function whyNoElectron() {
  if (!existsSync(electronDir(root))) return 'the electron package is not installed';
  const noDisplay = displayProblem();
  if (noDisplay) return noDisplay;
  if (electronBinary(root)) return null;
  // first run on a machine with a display: fetch the binary once, as `electron` itself would
  process.stderr.write('BotDesk: downloading the Electron binary (first run)…\n');
  const r = spawnSync(process.execPath, [join(electronDir(root), 'install.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'ignore'],
    timeout: 180_000,
  });
  return r.status === 0 && electronBinary(root) ? null : 'the Electron binary could not be downloaded';
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
  // in this process: no second Node process beside the bot
  runHeadless(root).catch((e) => {
    process.stderr.write(`BotDesk: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

try {
  const reason = whyNoElectron();
  if (reason !== null) headless(reason);
  else if (!desktopIsFresh(root) && !build(root, 'first run or sources changed')) headless('the app could not be built');
  else run(electronBinary(root), [root]);
} catch (e) {
  // never a stack trace for a start-up check; the headless mode is always there
  headless(`the start-up check failed: ${e instanceof Error ? e.message : String(e)}`);
}
