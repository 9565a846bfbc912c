#!/usr/bin/env node
// `npm run dist`: installers for this platform through electron-builder (AppImage + deb on Linux, NSIS on Windows,
// dmg on macOS). They need Electron's binaries for the target; where those can be neither found in a cache nor
// downloaded, one line says why and the exit code is 1, instead of electron-builder failing half-way. Arguments are
// passed on to electron-builder (e.g. `npm run dist -- --dir`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;

/** folders where electron-builder (ELECTRON_BUILDER_CACHE) and @electron/get (electron_config_cache) keep downloads */
function cacheDirs() {
  const home = homedir();
  const perOs = (name) =>
    process.platform === 'darwin'
      ? join(home, 'Library', 'Caches', name)
      : process.platform === 'win32'
        ? join(process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), name, 'Cache')
        : join(process.env.XDG_CACHE_HOME || join(home, '.cache'), name);
  return [process.env.ELECTRON_BUILDER_CACHE, process.env.electron_config_cache, perOs('electron-builder'), perOs('electron')].filter(
    Boolean,
  );
}

/** the zip, in a cache folder or up to two levels below it (both tools file downloads under a hash of the URL) */
function cachedZip() {
  for (const dir of cacheDirs()) {
    const stack = [{ dir, depth: 0 }];
    while (stack.length) {
      const { dir: d, depth } = stack.pop();
      if (!existsSync(d)) continue;
      let entries = [];
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isFile() && e.name === zip) return join(d, e.name);
        if (e.isDirectory() && depth < 2) stack.push({ dir: join(d, e.name), depth: depth + 1 });
      }
    }
  }
  return null;
}

/** null when the zip can be downloaded, else why not */
async function whyNoDownload(url) {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (e) {
    const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e);
    return String(cause);
  }
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const mirror =
  process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases/download/';
const url = `${mirror.endsWith('/') ? mirror : `${mirror}/`}${process.env.ELECTRON_CUSTOM_DIR || `v${version}`}/${zip}`;
if (!cachedZip()) {
  const why = await whyNoDownload(url);
  if (why !== null) {
    process.stderr.write(
      `npm run dist: cannot build installers here: Electron ${version} for ${process.platform}-${process.arch} is in no cache and cannot be downloaded from ${url} (${why}); build where that address is reachable, or set ELECTRON_MIRROR to a mirror.\n`,
    );
    process.exit(1);
  }
}
run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
run(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), ...process.argv.slice(2)]);
