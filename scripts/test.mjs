#!/usr/bin/env node
// npm test: typecheck, lint, build (the browser tests serve the built dashboard), then every vitest suite
// (unit, integration over real sockets, browser end-to-end), then the storage suites again under Node 24, the Node
// inside Electron, where the store runs on node:sqlite. Ends with one plain line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';
import { electronNodeBinary } from './electron-node.mjs';

/** suites vitest.config.ts keeps out of the main pass, run alone after it */
const ALONE_SUITES = JSON.parse(readFileSync('tests/alone-suites.json', 'utf8'));

const run = (title, cmd, args, env = process.env) => {
  process.stdout.write(`\n▶ ${title}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32', env });
  return r.status === 0;
};

/** vitest's counts from its JSON report; a missing report or an empty run counts as a failure */
function counts(report) {
  if (!existsSync(report)) return { passed: 0, failed: 1 };
  const r = JSON.parse(readFileSync(report, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numFailedTestSuites ?? 0) + (r.numTotalTests === 0 ? 1 : 0) };
}

/** the suites that touch SQLite: the store, its history tables and migrations, a runtime over a real file, the instance lock */
const STORAGE_SUITES = [
  'tests/engine',
  'tests/server/history-api.test.ts',
  'tests/operations/json-answers.test.ts',
  'tests/app/runtime-restart.test.ts',
  'tests/app/instance-lock.test.ts',
  // the lab's candle store, and its worker threads each opening the lab database
  'tests/lab/candle-store.test.ts',
  'tests/lab/backtest-sweep.test.ts',
];

mkdirSync('test-artifacts', { recursive: true });
// harnesses register data directories, tokens and what clients were told here; the last pass scans it (secret-registry.ts)
const SECRET_SCAN_DIR = resolve('test-artifacts/secret-scan');
rmSync(SECRET_SCAN_DIR, { recursive: true, force: true });
if (process.argv.length <= 2) process.env.BOTDESK_SECRET_SCAN_DIR = SECRET_SCAN_DIR;
const typecheck = run('typecheck (tsc --noEmit, strict)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
const lint = run('lint (eslint: typescript-eslint recommended, React hooks)', 'npx', ['eslint', '--max-warnings', '0', '.']);
const format = run('format (prettier --check; npm run format writes it)', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']);
const build = run('build (electron-vite: main, preload, renderer)', 'npx', ['electron-vite', 'build']);
const report = 'test-artifacts/vitest.json';
rmSync(report, { force: true });
run(
  'tests (vitest: unit, integration, e2e)',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  process.argv.length > 2 ? { ...process.env, BOTDESK_ALONE_PASS: '1' } : process.env,
);
let { passed, failed } = counts(report);

// suites that measure a latency bound under their own load (vitest.config.ts ALONE_SUITES), with nothing beside them
if (process.argv.length <= 2) {
  const reportAlone = 'test-artifacts/vitest-alone.json';
  rmSync(reportAlone, { force: true });
  run(
    'latency suites, alone',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportAlone}`, ...ALONE_SUITES],
    { ...process.env, BOTDESK_ALONE_PASS: '1' },
  );
  const c = counts(reportAlone);
  passed += c.passed;
  failed += c.failed;
}

// only for the whole suite: a run of chosen files (npm test -- some.test.ts) is about those files
const node24 = process.argv.length > 2 ? { skipped: 'a chosen set of test files was given' } : electronNodeBinary();
if (node24.binary) {
  const report24 = 'test-artifacts/vitest-node24.json';
  rmSync(report24, { force: true });
  // child processes the tests start (process.execPath, or `node` on PATH) run under Node 24 too
  const env = { ...process.env, PATH: `${dirname(node24.binary)}${delimiter}${process.env.PATH}` };
  run(
    `storage suites under Node ${node24.version} (node:sqlite, as in Electron's main process)`,
    node24.binary,
    [
      resolve('node_modules/vitest/vitest.mjs'),
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report24}`,
      ...STORAGE_SUITES,
    ],
    env,
  );
  const c = counts(report24);
  passed += c.passed;
  failed += c.failed;
} else {
  process.stdout.write(`\n▶ storage suites under Node 24: skipped, ${node24.skipped}\n`);
}

// last: every token and exchange key the suite used, searched for in everything the suites above left (whole suite only)
if (process.argv.length <= 2) {
  const reportScan = 'test-artifacts/vitest-secret-scan.json';
  rmSync(reportScan, { force: true });
  run(
    'secret scan over every data directory, log, answer and event of the suite',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportScan}`, 'tests/proof/secret-scan.final.test.ts'],
    { ...process.env, BOTDESK_FINAL_PASS: '1' },
  );
  const c = counts(reportScan);
  passed += c.passed;
  failed += c.failed;
}

if (!typecheck) failed++;
if (!lint) failed++;
if (!format) failed++;
if (!build) failed++;
process.stdout.write(
  `\n${!typecheck ? 'typecheck failed\n' : ''}${!lint ? 'lint failed\n' : ''}${!format ? 'format check failed (npm run format)\n' : ''}${!build ? 'build failed\n' : ''}`,
);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
