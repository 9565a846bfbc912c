import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Suites that measure a latency bound under load of their own: run alone, after the rest (scripts/test.mjs), so other
 * suites running beside them on a two-core machine are not what they measure.
 */
const ALONE_SUITES: string[] = JSON.parse(readFileSync(new URL('./tests/alone-suites.json', import.meta.url), 'utf8'));

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // the alone pass sets BOTDESK_ALONE_PASS (as does `npm test -- FILE…`, so a suite named on its own runs)
    exclude: [
      ...(process.env.BOTDESK_ALONE_PASS ? [] : ['**/node_modules/**', ...ALONE_SUITES]),
      // the suite's last pass (scripts/test.mjs): it scans what every other suite left behind
      ...(process.env.BOTDESK_FINAL_PASS ? [] : ['**/*.final.test.ts']),
    ],
    pool: 'forks',
    // an answer an operation does not declare (OperationDef.errors) fails the test that meets it, here and in the servers tests start
    env: { BOTDESK_STRICT_STATUSES: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
