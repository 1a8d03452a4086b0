import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

/**
 * One build for the three Electron parts; `out/renderer` is also what `shoebox serve` serves in browser mode.
 * Dependencies stay external in main (native modules: better-sqlite3, onnxruntime-node, sharp, sqlite-vec).
 */
export default defineConfig({
  main: {
    build: {
      // The decoding worker is its own entry: app/indexer/analyze-pool.ts loads analyze-worker.js beside the bundle.
      rollupOptions: { input: { index: 'main/index.ts', 'core-process': 'main/core-process.ts', 'analyze-worker': 'app/indexer/analyze-worker.ts' } },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { index: 'preload/index.ts' }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    build: { rollupOptions: { input: 'renderer/index.html' } },
    plugins: [svelte({ configFile: false })],
  },
});
