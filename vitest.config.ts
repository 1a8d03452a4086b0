import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds out/ when a source is newer: see [Note: tests run the built bundles].
    globalSetup: ['test/helpers/build-bundles.ts'],
    // Real ONNX sessions, real SQLite files and real decodes: give them room on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
