import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

/**
 * One build for the three Electron parts; `out/renderer` is also what `shoebox serve` serves in browser mode.
 * Dependencies stay external in main (native modules: better-sqlite3, onnxruntime-node, sharp, sqlite-vec).
 */
export default defineConfig({
  main: {
    build: {
      // zod is bundled, not loaded from node_modules: see [Note: pack schemas in zod mini].
      externalizeDeps: { exclude: ['zod'] },
      // The decoding worker is its own entry: app/indexer/analyze-pool.ts loads analyze-worker.js beside the bundle;
      // so are the tokenizer's thread (app/model/tokenize-in-worker.ts loads tokenize-worker.js) and the vision
      // tower's (app/model/vision-thread.ts loads vision-worker.js).
      // The CLI (`shoebox`, also `shoebox serve`) is built here too, so it runs compiled code under plain Node: out/main
      // sits as deep under the root as app/<dir>/, so resources resolve the same from source and from the bundle.
      rollupOptions: {
        input: { index: 'main/index.ts', 'core-process': 'main/core-process.ts', 'analyze-worker': 'app/indexer/analyze-worker.ts', 'tokenize-worker': 'app/model/tokenize-worker.ts', 'vision-worker': 'app/model/vision-worker.ts', shoebox: 'app/cli/main.ts' },
        output: { banner: (chunk) => (chunk.name === 'shoebox' ? '#!/usr/bin/env node' : '') },
      },
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
