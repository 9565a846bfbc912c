// npm run bench [-- name…]: every benchmark in turn; each prints its figures as ratios to a baseline run alongside.
import { existsSync } from 'node:fs';

const ALL = [
  'engine',
  'api',
  'ws',
  'config-apply',
  'dashboard',
  'history',
  'cold-reads',
  'live',
  'memory',
  'fleet',
  'notify',
  'lab',
  'proof',
];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ALL;

for (const name of names) {
  const file = new URL(`./${name}.bench.ts`, import.meta.url);
  if (!existsSync(file)) {
    console.log(`\n## ${name}: not present`);
    continue;
  }
  console.log(`\n## ${name}`);
  const mod = (await import(file.href)) as { default: () => Promise<void> };
  await mod.default();
}
