import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { FIXTURES, loadReference, REFERENCE_DIR, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

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

describe('CLI --json contract: smart albums and "more like these" (issue 16)', () => {
  const lib = tempDir('cli-smart-lib');
  const photos = tempDir('cli-smart-photos');
  const args = ['--library', lib, '--model', TINY_CLIP];
  const at = (f: string) => path.join(photos, f);
  // Night photos (two of them red circles), two red circles at sunset, and others.
  const FILES = ['sample_009.jpg', 'sample_023.jpg', 'sample_030.jpg', 'sample_048.jpg', 'sample_090.jpg', 'sample_062.jpg', 'sample_001.jpg', 'sample_045.jpg', 'sample_016.jpg', 'sample_019.jpg'];
  afterAll(() => {
    fs.rmSync(lib, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('album smart creates an album of what the search finds; album show says why each photo is in it', () => {
    for (const f of FILES) fs.copyFileSync(path.join(SAMPLES_DIR, f), at(f));
    fs.copyFileSync(path.join(FIXTURES, 'like-these', 'dev_0257.jpg'), at('dev_0257.jpg'));
    runCliJson(['index', photos, ...args]);
    const search = runCliJson<{ results: { path: string }[] }>(['search', 'the night sky', ...args]);
    const created = runCliJson<{ album: { id: number; name: string; photos: number; smart: unknown } }>(['album', 'smart', 'Nights', 'the night sky', '--folder', photos, ...args]);
    const folderId = 1;
    expect(created).toEqual({ album: { id: expect.any(Number), name: 'Nights', photos: search.results.length, smart: { query: 'the night sky', filters: { folderIds: [folderId] } } } });
    expect(search.results.length).toBeGreaterThan(0);

    const pinned = at('sample_001.jpg');
    const keptOut = search.results[0]!.path;
    runCliJson(['album', 'add', 'Nights', pinned, ...args]);
    runCliJson(['album', 'remove', 'Nights', keptOut, ...args]);
    const shown = runCliJson<{ album: unknown; photos: string[]; members: { path: string; reason: string; relevance?: number }[]; keptOut: string[] }>(['album', 'show', 'Nights', ...args]);
    expect(new Set(shown.photos)).toEqual(new Set([...search.results.map((r) => r.path).filter((p) => p !== keptOut), pinned]));
    expect(shown.members.find((m) => m.path === pinned)).toEqual({ path: pinned, reason: 'pinned' });
    for (const m of shown.members.filter((m) => m.path !== pinned)) expect(m).toEqual({ path: m.path, reason: 'match', relevance: expect.any(Number) });
    expect(shown.keptOut).toEqual([keptOut]);
    // Named after its query when no name is given; a query of negatives only is one error line.
    expect(runCliJson<{ album: { name: string } }>(['album', 'smart', 'a red circle', ...args]).album.name).toBe('a red circle');
    const bad = runCli(['album', 'smart', 'Nothing', ...args, '--', '-people']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('shoebox: a smart album needs words to search for (not only what to leave out)');
  });

  it('similar takes several photos and --text', () => {
    const out = runCliJson<{ results: { path: string; score: number }[] }>(['similar', at('sample_062.jpg'), at('sample_001.jpg'), '--text', 'at night', '--all', '--limit', '3', ...args]);
    expect(out.results).toHaveLength(3);
    expect(out.results.map((r) => r.path)).not.toContain(at('sample_062.jpg'));
    expect(out.results.slice(0, 2).map((r) => path.basename(r.path)).sort()).toEqual(['dev_0257.jpg', 'sample_090.jpg']);
    for (const r of out.results) expect(r).toEqual({ path: r.path, score: expect.any(Number) });
    const missing = runCli(['similar', at('sample_062.jpg'), at('nope.jpg'), ...args]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`shoebox: not in the library: ${at('nope.jpg')} (index its folder first)`);
  });
});
