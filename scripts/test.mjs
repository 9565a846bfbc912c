#!/usr/bin/env node
// npm test: typecheck, build (the browser tests serve the built dashboard), then every vitest suite
// (unit, integration over real sockets, browser end-to-end). Ends with one plain line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const run = (title, cmd, args) => {
  process.stdout.write(`\n▶ ${title}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
};

mkdirSync('test-artifacts', { recursive: true });
const typecheck = run('typecheck (tsc --noEmit, strict)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
const build = run('build (electron-vite: main, preload, renderer)', 'npx', ['electron-vite', 'build']);
const report = 'test-artifacts/vitest.json';
run('tests (vitest: unit, integration, e2e)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numFailedTestSuites ?? 0);
  if (r.numTotalTests === 0) failed++;
} else {
  failed++;
}
if (!typecheck) failed++;
if (!build) failed++;
process.stdout.write(`\n${!typecheck ? 'typecheck failed\n' : ''}${!build ? 'build failed\n' : ''}`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
