#!/usr/bin/env node
// `npm run serve`: the headless bot, API and dashboard (built first when missing or stale); signals pass through,
// the exit code comes back.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDashboard, headlessArgs } from './headless-entry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDashboard(root);
const child = spawn(process.execPath, headlessArgs(root), { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
