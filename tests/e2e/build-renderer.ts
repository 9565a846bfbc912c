// Builds the dashboard (renderer only) into out/renderer when it is missing or older than its sources, so the browser
// tests never run against a stale page. Mirrors the renderer section of electron.vite.config.ts.
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { isFresh } from '../../scripts/build-freshness.mjs';

const root = resolve(import.meta.dirname, '../..');
export const rendererOut = join(root, 'out', 'renderer');
const sources = [join(root, 'src-renderer'), join(root, 'src-shared')];

export function rendererIsFresh(): boolean {
  return isFresh(join(rendererOut, 'index.html'), sources);
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
