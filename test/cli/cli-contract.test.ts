import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { loadReference, REFERENCE_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const library = tempDir('cli-lib');
afterAll(() => fs.rmSync(library, { recursive: true, force: true }));
const reference = loadReference();
const dotNorm = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / Math.hypot(...b);

describe('CLI --json contract', () => {
  it('embed-text gives the 77 OpenAI ids and an L2-normalized embedding', () => {
    const t = reference.texts.find((x) => x.kind === 'long > 77 tokens (truncated, EOT at index 76)')!;
    const out = runCliJson<{ text: string; ids: number[]; embedding: number[] }>(['embed-text', t.text, '--model', TINY_CLIP, '--library', library]);
    expect(out.text).toBe(t.text);
    expect(out.ids).toEqual(t.input_ids);
    expect(Math.hypot(...out.embedding)).toBeCloseTo(1, 5);
    expect(dotNorm(out.embedding, t.text_embeds_normalized)).toBeGreaterThan(0.999);
  });

  it('embed-image gives the absolute path and an L2-normalized embedding', () => {
    const image = reference.images.find((i) => i.file.includes('exif6'))!;
    const relative = path.relative(process.cwd(), path.join(REFERENCE_DIR, image.file));
    const out = runCliJson<{ path: string; embedding: number[] }>(['embed-image', relative, '--model', TINY_CLIP, '--library', library]);
    expect(out.path).toBe(path.join(REFERENCE_DIR, image.file));
    expect(Math.hypot(...out.embedding)).toBeCloseTo(1, 5);
    expect(dotNorm(out.embedding, image.image_embeds_normalized)).toBeGreaterThan(0.995);
  });

  it('index and search report the documented shapes; the library remembers its model', () => {
    const photos = tempDir('cli-photos');
    fs.copyFileSync(path.join(REFERENCE_DIR, 'ref_13_333x500.jpg'), path.join(photos, 'sunset.jpg'));
    fs.writeFileSync(path.join(photos, 'broken.jpg'), 'no');
    const index = runCli(['index', photos, '--library', library, '--model', TINY_CLIP, '--json']);
    expect(index.status).toBe(0); // some files failing is not a failed run
    const report = JSON.parse(index.stdout);
    expect(report).toMatchObject({ indexed: 1, unchanged: 0, failed: [{ path: path.join(photos, 'broken.jpg') }] });
    expect(typeof report.failed[0].error).toBe('string');
    expect(typeof report.seconds).toBe('number');
    expect(report).toMatchObject({ model: 'tiny-clip-synthetic', provider: 'cpu' });

    // No --model: the library's model is used.
    const search = runCliJson<{ results: { path: string; score: number }[] }>(['search', 'a sunset', '--all', '--library', library]);
    expect(search.results).toEqual([{ path: path.join(photos, 'sunset.jpg'), score: expect.any(Number) }]);
    fs.rmSync(photos, { recursive: true, force: true });
  });
});

describe('CLI errors: exit 1, one line on stderr, no stack trace', () => {
  const oneLine = (stderr: string) => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('says so when there is no model', () => {
    const run = runCli(['search', 'a beach', '--library', tempDir('empty-lib')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no model/);
    oneLine(run.stderr);
  });

  it('rejects unknown commands, bad options and a missing model folder', () => {
    for (const args of [['frobnicate'], ['search', 'x', '--limit', 'many', '--library', library], ['search'], ['search', 'x', '--model', '/nope', '--library', library]]) {
      const run = runCli(args);
      expect(run.status, args.join(' ')).toBe(1);
      oneLine(run.stderr);
    }
  });

  it('reports an unindexed photo for similar', () => {
    const run = runCli(['similar', path.join(REFERENCE_DIR, 'ref_01_640x480.jpg'), '--library', library, '--model', TINY_CLIP]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not in the library/);
  });
});
