import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

type AlbumJson = { id: number; name: string; photos: number };

/** `album`, `rate`, `flag` and `label` --json contract (README, "Command line"), through the compiled CLI. */
describe('album and culling CLI', () => {
  const library = tempDir('cli-albums-lib');
  const photos = tempDir('cli-albums-photos');
  const args = ['--library', library, '--model', TINY_CLIP];
  const at = (f: string) => path.join(photos, f);

  beforeAll(() => {
    for (const f of ['sample_020.jpg', 'sample_021.jpg', 'sample_022.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, f), at(f));
    runCliJson(['index', photos, ...args]);
  }, 120_000);

  it('album create|add|remove|list|show|rename|delete', () => {
    const created = runCliJson<{ album: AlbumJson }>(['album', 'create', 'Best of', ...args]);
    expect(created).toEqual({ album: { id: expect.any(Number), name: 'Best of', photos: 0 } });
    const added = runCliJson<Record<string, unknown>>(['album', 'add', 'best of', at('sample_020.jpg'), at('sample_021.jpg'), at('nope.jpg'), ...args]);
    expect(added).toEqual({ album: { id: created.album.id, name: 'Best of', photos: 2 }, added: 2, failed: [{ path: at('nope.jpg'), error: 'not in the library (index its folder first)' }] });
    expect(runCliJson(['album', 'remove', 'Best of', at('sample_021.jpg'), ...args])).toEqual({ album: { id: created.album.id, name: 'Best of', photos: 1 }, removed: 1, failed: [] });
    expect(runCliJson(['album', 'show', 'Best of', ...args])).toEqual({
      album: { id: created.album.id, name: 'Best of', photos: 1 },
      photos: [at('sample_020.jpg')],
      members: [{ path: at('sample_020.jpg'), reason: 'pinned' }], // put there by hand
    });
    expect(runCliJson(['album', 'rename', 'Best of', 'Keepers', ...args])).toEqual({ album: { id: created.album.id, name: 'Keepers', photos: 1 } });
    expect(runCliJson(['album', 'list', ...args])).toEqual({ albums: [{ id: created.album.id, name: 'Keepers', photos: 1 }] });
    expect(runCliJson(['album', 'delete', 'Keepers', ...args])).toEqual({ deleted: { id: created.album.id, name: 'Keepers', photos: 1 } });
    expect(runCliJson(['album', 'list', ...args])).toEqual({ albums: [] });

    const missing = runCli(['album', 'show', 'Keepers', ...args]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('shoebox: no album "Keepers"');
    expect(runCli(['album', 'frobnicate', 'x', ...args]).stderr).toContain('usage: album list');
  });

  it('rate, flag and label photos and folders, with one error line for a bad value', () => {
    expect(runCliJson(['rate', at('sample_020.jpg'), at('sample_021.jpg'), '4', ...args])).toEqual({ rating: 4, photos: 2, failed: [] });
    expect(runCliJson(['flag', photos, 'reject', ...args])).toEqual({ flag: 'reject', photos: 3, failed: [] });
    expect(runCliJson(['flag', at('sample_022.jpg'), 'none', ...args])).toEqual({ flag: 'none', photos: 1, failed: [] });
    expect(runCliJson(['label', at('sample_022.jpg'), at('gone.jpg'), 'Yellow', ...args])).toEqual({
      label: 'yellow',
      photos: 1,
      failed: [{ path: at('gone.jpg'), error: 'not in the library (index its folder first)' }],
    });
    const bad = runCli(['rate', at('sample_020.jpg'), '9', ...args]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('shoebox: a rating is 0 to 5 stars, not "9"');
    expect(runCli(['label', at('sample_020.jpg'), 'orange', ...args]).stderr.trim()).toBe('shoebox: a label is one of red, yellow, green, blue, purple, none, not "orange"');
    expect(runCli(['flag', 'pick', ...args]).stderr.trim()).toMatch(/^shoebox: usage: flag/);
    const text = runCli(['rate', at('sample_022.jpg'), '2', ...args]);
    expect(text.stdout).toBe('1 photo(s) rated 2\n');
  });
});

describe('smart albums follow marks, tags and albums changed from the CLI', () => {
  const library = tempDir('cli-smart-lib');
  const photos = tempDir('cli-smart-photos');
  const args = ['--library', library, '--model', TINY_CLIP];
  const members = () => runCliJson<{ photos: string[] }>(['album', 'show', 'Best sunsets', ...args]).photos;

  beforeAll(() => {
    // Three sunsets and a forest of the samples.
    for (const f of ['sample_045.jpg', 'sample_046.jpg', 'sample_062.jpg', 'sample_000.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    runCliJson(['index', photos, ...args]);
  }, 120_000);

  it('a photo rated into (and out of) a smart album\'s filter joins (and leaves) it at once', () => {
    const sunsets = runCliJson<{ results: { path: string }[] }>(['search', 'a sunset', ...args]).results.map((r) => r.path);
    expect(sunsets.length).toBeGreaterThan(1);
    runCliJson(['album', 'smart', 'Best sunsets', 'a sunset', '--min-rating', '4', ...args]);
    expect(members()).toEqual([]);
    runCliJson(['rate', sunsets[0]!, '5', ...args]);
    expect(members()).toEqual([sunsets[0]]);
    runCliJson(['rate', sunsets[0]!, '2', ...args]);
    expect(members()).toEqual([]);
  });
});
