import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // headless.ts is a second entry that must never import electron (contract §1: npm run serve without Electron);
      // lab-worker is the strategy lab's worker thread (src-main/engine/lab/lab-workers.ts finds it beside the entries)
      rollupOptions: {
        input: {
          index: resolve('src-main/index.ts'),
          headless: resolve('src-main/headless.ts'),
          'lab-worker': resolve('src-main/engine/lab/lab.worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // a sandboxed preload must be CommonJS
      rollupOptions: { input: { index: resolve('src-preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'src-renderer',
    base: './',
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
  },
});
