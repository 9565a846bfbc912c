// Electronegativity over the Electron sources (main, preload, the page's CSP): every finding is either fixed or
// justified in build/electronegativity-accepted.json. The scan runs in a child process, without a network where the
// machine allows it (unshare -n), which proves it never needs one.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  description: string;
}
interface Scan {
  scanned: string[];
  electronVersion: string | null;
  errors: { file: string; message: string }[];
  findings: Finding[];
}

const offline = spawnSync('unshare', ['-n', 'true']).status === 0;

function scan(tree = root): Scan {
  const args = [join(root, 'scripts', 'security-scan.mjs'), '--json', '--root', tree];
  const r = offline
    ? spawnSync('unshare', ['-n', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`security scan failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Scan;
}

describe(`electronegativity${offline ? ' (no network: unshare -n)' : ''}`, () => {
  it('finds nothing in the main process, preload or page that is not justified, and parses every file', () => {
    const r = scan();
    expect(r.errors).toEqual([]);
    expect(r.electronVersion).toMatch(/^45\./);
    expect(r.scanned).toContain('src-main/index.ts');
    expect(r.scanned).toContain('src-preload/index.ts');
    expect(r.scanned).toContain('src-renderer/index.html');

    const accepted = (
      JSON.parse(readFileSync(join(root, 'build', 'electronegativity-accepted.json'), 'utf8')) as {
        accepted: { id: string; file: string; why: string }[];
      }
    ).accepted;
    for (const a of accepted) expect(a.why.length, `${a.id} ${a.file} needs a reason`).toBeGreaterThan(40);
    const key = (f: { id: string; file: string }) => `${f.id} ${f.file}`;
    const unjustified = r.findings.filter((f) => !accepted.some((a) => key(a) === key(f)));
    expect(unjustified.map((f) => `${key(f)}:${f.line} ${f.description}`)).toEqual([]);
    // a justification whose finding is gone is stale: remove it
    const stale = accepted.filter((a) => !r.findings.some((f) => key(f) === key(a)));
    expect(stale.map(key)).toEqual([]);
  }, 120_000);

  it('is a live scanner: a window without sandbox, isolation or web security, with no navigation limits or permission handler, is reported', () => {
    const tree = mkdtempSync(join(tmpdir(), 'botdesk-eneg-'));
    try {
      mkdirSync(join(tree, 'src-main'));
      writeFileSync(join(tree, 'package.json'), JSON.stringify({ name: 'bad', devDependencies: { electron: '45.4.1' } }));
      writeFileSync(
        join(tree, 'src-main', 'window.ts'),
        `import { BrowserWindow } from 'electron';
export const open = (): BrowserWindow => new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });
`,
      );
      const ids = new Set(scan(tree).findings.map((f) => f.id));
      for (const id of [
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ])
        expect(ids).toContain(id);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  }, 120_000);
});
