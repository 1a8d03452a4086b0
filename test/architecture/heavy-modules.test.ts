import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/**
 * [Note: heavy modules on first use] from the outside: the compiled CLI, with a module hook that writes every
 * package the process resolved (imports and requires, its own and the packages') to stderr on exit.
 */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    if (!/^(node:|[./]|file:|data:)/.test(specifier)) seen.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
    return next(specifier, context);
  },
});
process.on('exit', () => process.stderr.write('resolved-packages ' + JSON.stringify([...seen]) + '\\n'));
`)}`;

/** Those of heavy-modules.ts (thumbhash, ~6 ms, stays a static import: placeholders are made synchronously). */
const HEAVY = ['sharp', 'heic-decode', 'exiftool-vendored', 'exifr', 'trash', 'ws', 'piscina', 'chokidar', 'hash-wasm', 'yauzl'];

function packagesResolvedBy(args: string[]): string[] {
  const run = runCli(args, { NODE_OPTIONS: `--import=${HOOK}` });
  expect(run.status, run.stderr).toBe(0);
  // One line per thread (the hook runs in worker threads too, e.g. the tokenizer's): all of them count.
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('resolved-packages '));
  expect(lines.length, run.stderr).toBeGreaterThan(0);
  return [...new Set(lines.flatMap((l) => JSON.parse(l.slice('resolved-packages '.length)) as string[]))];
}

describe('what a command loads', () => {
  it('a text search loads SQLite, ONNX Runtime and the tokenizer, and none of the image, metadata, trash, server or watcher libraries', () => {
    const library = tempDir('heavy-lib');
    const photos = tempDir('heavy-photos');
    for (const f of fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg')).slice(0, 4)) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    try {
      expect(runCliJson<{ indexed: number }>(['index', photos, '--library', library, '--model', TINY_CLIP]).indexed).toBe(4);
      const loaded = packagesResolvedBy(['search', 'a red circle', '--library', library, '--all']);
      expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'sqlite-vec', 'onnxruntime-node', '@huggingface/tokenizers']));
      expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
    } finally {
      fs.rmSync(library, { recursive: true, force: true });
      fs.rmSync(photos, { recursive: true, force: true });
    }
  });

  it('--help loads no package at all', () => {
    expect(packagesResolvedBy(['--help'])).toEqual([]);
  });
});
