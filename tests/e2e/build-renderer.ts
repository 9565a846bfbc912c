// Builds the dashboard (renderer only) into out/renderer when it is missing or older than its sources, so the browser
// tests never run against a stale page. Mirrors the renderer section of electron.vite.config.ts.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');
export const rendererOut = join(root, 'out', 'renderer');
const sources = [join(root, 'src-renderer'), join(root, 'src-shared')];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function rendererIsFresh(): boolean {
  const index = join(rendererOut, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return sources.every((dir) => newestMtime(dir) <= built);
}

export async function ensureRendererBuilt(): Promise<void> {
  if (rendererIsFresh()) return;
  await build({
    configFile: false,
    root: join(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir: rendererOut, emptyOutDir: true, rollupOptions: { input: { index: join(root, 'src-renderer', 'index.html') } } },
  });
}

// `npx tsx tests/e2e/build-renderer.ts` builds it by hand
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await ensureRendererBuilt();
  process.stdout.write(`renderer built in ${rendererOut}\n`);
}
