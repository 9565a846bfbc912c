#!/usr/bin/env node
// Electronegativity (npm @doyensec/electronegativity) over the Electron sources: the main process, the preload and the
// page's HTML (its CSP). Driven through its modules rather than its runner, because the runner fetches translations
// from GitHub on every start and one check downloads Electron's release list; both are left out, so the scan never
// leaves this machine. `node scripts/security-scan.mjs` prints the findings; tests/packaging/security-scan.test.ts
// fails on any that build/electronegativity-accepted.json does not justify.
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = [/^src-main\/.*\.ts$/, /^src-preload\/.*\.ts$/, /^src-renderer\/index\.html$/, /^package\.json$/];
/** the only check that needs the network (Electron's release list); the installed Electron's age is npm's business */
const OFFLINE_EXCLUDED = ['availablesecurityfixesglobalcheck'];

/** findings over `root`'s Electron sources (default: this project) */
export async function scanElectronSources(root = projectRoot) {
  const pkgDir = join(projectRoot, 'node_modules', '@doyensec', 'electronegativity');
  const requireFromScanner = createRequire(join(pkgDir, 'package.json'));
  const dist = (p) => requireFromScanner(join(pkgDir, 'dist', p));
  // the checks describe themselves through a global __(): the bundled English strings, no download
  const i18n = requireFromScanner('i18n');
  i18n.configure({
    locales: ['en-US'],
    defaultLocale: 'en-US',
    directory: join(pkgDir, 'dist', 'locales'),
    updateFiles: false,
    objectNotation: true,
    register: globalThis,
  });
  i18n.setLocale('en-US');

  const { LoaderDirectory } = dist('loader');
  const { Parser } = dist('parser');
  const { Finder, GlobalChecks } = dist('finder');
  const loader = new LoaderDirectory();
  await loader.load(root);
  const parser = new Parser(false, true);
  const globalChecker = new GlobalChecks([], OFFLINE_EXCLUDED, undefined);
  const finder = await new Finder([], [], undefined);

  // global findings that concern the whole app carry the file "N/A"
  const toPosix = (f) => (f === 'N/A' ? f : relative(root, f).split(sep).join('/'));
  const files = [...loader.list_files].filter((f) => SCANNED.some((re) => re.test(toPosix(f))));
  let issues = [];
  const errors = [];
  for (const file of files) {
    try {
      const [type, data, content] = parser.parse(file, loader.load_buffer(file));
      if (data === null) continue;
      issues.push(...(await finder.find(file, data, type, content, null, loader.electronVersion)));
    } catch (e) {
      errors.push({ file: toPosix(file), message: e instanceof Error ? e.message : String(e) });
    }
  }
  issues = (await globalChecker.getResults(issues, undefined)).filter(
    (i) => !i.visibility || (!i.visibility.inlineDisabled && !i.visibility.globalCheckDisabled),
  );
  return {
    scanned: files.map(toPosix).sort(),
    electronVersion: loader.electronVersion ?? null,
    errors,
    findings: issues
      .map((i) => ({
        id: i.id,
        file: toPosix(i.file),
        line: i.location.line,
        severity: i.severity.name,
        confidence: i.confidence.name,
        manualReview: Boolean(i.manualReview),
        description: i.description,
      }))
      .sort((a, b) => a.id.localeCompare(b.id) || a.file.localeCompare(b.file) || a.line - b.line),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // --json: the result as one JSON document (the test reads it); --root DIR: scan another tree
  const at = process.argv.indexOf('--root');
  const r = await scanElectronSources(at > 0 ? process.argv[at + 1] : projectRoot);
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  }
  process.stdout.write(
    `electronegativity: ${r.scanned.length} files, Electron ${r.electronVersion}, ${r.findings.length} findings, ${r.errors.length} unparsed\n`,
  );
  for (const f of r.findings)
    process.stdout.write(
      `${f.id}\t${f.file}:${f.line}\t${f.severity}/${f.confidence}${f.manualReview ? ' (review)' : ''}\t${f.description}\n`,
    );
  for (const e of r.errors) process.stdout.write(`UNPARSED\t${e.file}\t${e.message}\n`);
}
