#!/usr/bin/env node
// `npm run serve`: the headless bot, API and dashboard (built first when missing or stale), in this very process:
// the bot handles the signals and sets the exit code itself.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDashboard, runHeadless } from './headless-entry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDashboard(root);
await runHeadless(root);
