import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // headless.ts is a second entry that must never import electron (contract §1: npm run serve without Electron)
      rollupOptions: { input: { index: resolve('src-main/index.ts'), headless: resolve('src-main/headless.ts') } },
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
