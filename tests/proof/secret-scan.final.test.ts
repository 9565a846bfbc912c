// The last pass of npm test (scripts/test.mjs): every data directory, log line, answer and event the suite's harnesses
// registered (tests/helpers/secret-registry.ts) searched for every token and exchange key the suite used. Zero hits,
// except each token in its own 0600 store. Run alone it has nothing to scan and says so.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET } from '../exchange-emulator/server';
import { secretScanDir, type SecretRegistration } from '../helpers/secret-registry';

/** where a secret may rest: each token in its own file (mode 0600, checked below), the fleet's vault of remote tokens */
const OWN_STORES = new Set(['api-token', 'api-read-token', 'keys.json', 'fleet-tokens.json', 'fleet-tokens.enc']);

function* filesUnder(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) yield* filesUnder(path);
    else if (st.isFile()) yield path;
  }
}

const folder = secretScanDir();
const registrations: SecretRegistration[] =
  folder && existsSync(folder)
    ? readdirSync(folder).map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as SecretRegistration)
    : [];

describe('secret scan over everything the suite left', () => {
  it.skipIf(!folder)('finds no token or exchange key outside its own store', () => {
    // the pass runs after the whole suite: an empty registry means the harnesses stopped registering
    expect(registrations.length).toBeGreaterThan(10);
    const secrets = new Set<string>([DEFAULT_API_KEY, DEFAULT_SECRET]);
    for (const r of registrations) for (const s of r.secrets) if (s.length >= 16) secrets.add(s);
    const needles = [...secrets].map((s) => Buffer.from(s));
    const dirs = new Set(registrations.flatMap((r) => r.dataDirs));
    const hits: string[] = [];
    let files = 0;
    let bytes = 0;
    for (const dir of dirs) {
      for (const file of filesUnder(dir)) {
        const content = readFileSync(file);
        files++;
        bytes += content.length;
        if (OWN_STORES.has(basename(file))) {
          expect(statSync(file).mode & 0o077, `${file} is readable by others`).toBe(0);
          continue;
        }
        for (const n of needles) if (content.includes(n)) hits.push(`${file}: …${n.toString().slice(-4)}`);
      }
    }
    let texts = 0;
    for (const r of registrations)
      for (const text of r.texts) {
        texts++;
        for (const n of needles)
          if (text.includes(n.toString())) hits.push(`${r.source} text: …${n.toString().slice(-4)} in ${text.slice(0, 120)}`);
      }
    console.log(
      `secret scan: ${needles.length} secrets over ${registrations.length} registrations, ${dirs.size} data directories, ${files} files (${(bytes / 2 ** 20).toFixed(1)} MiB), ${texts} answers/log lines/events: ${hits.length} hits`,
    );
    expect(hits).toEqual([]);
    for (const r of registrations) if (r.removeAfterScan) for (const d of r.dataDirs) rmSync(d, { recursive: true, force: true });
    rmSync(folder!, { recursive: true, force: true });
  });
});
