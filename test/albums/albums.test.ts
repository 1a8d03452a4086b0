import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** Albums in the core over a real catalog: membership follows the photo's identity, not its path. */
describe('albums', () => {
  const library = tempDir('albums-lib');
  const photos = tempDir('albums-photos');
  const at = (...parts: string[]) => path.join(photos, ...parts);
  let core: Core;

  beforeAll(async () => {
    for (const f of ['sample_000.jpg', 'sample_001.jpg', 'sample_002.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, f), at(f));
    fs.mkdirSync(at('trip'));
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_003.jpg'), at('trip', 'sample_003.jpg'));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP, decodeThreads: 0 });
    await core.index([photos]);
  }, 60_000);
  afterAll(() => core?.close());

  it('creates, renames and deletes albums; names are unique case-insensitively and never empty', () => {
    const album = core.albums.create('  Summer 2024 ');
    expect(album).toMatchObject({ name: 'Summer 2024', photos: 0 });
    expect(() => core.albums.create('summer 2024')).toThrow('an album "Summer 2024" already exists');
    expect(() => core.albums.create('   ')).toThrow('an album needs a name');
    expect(core.albums.rename('SUMMER 2024', 'Summer').name).toBe('Summer');
    expect(core.albums.rename(album.id, 'summer').name).toBe('summer'); // its own name in another case is fine
    expect(() => core.albums.rename('Winter', 'x')).toThrow('no album "Winter"');
    expect(core.albums.delete('summer')).toMatchObject({ id: album.id, name: 'summer' });
    expect(core.albums.list()).toEqual([]);
  });

  it('adds and removes one or many photos, by path, folder or id, and names each input that is no photo', () => {
    const album = core.albums.create('Picks');
    const one = core.catalog.photos.byPath(at('sample_000.jpg'))!;
    const added = core.albums.add('Picks', [at('sample_000.jpg'), at('sample_001.jpg'), at('trip'), at('nope.jpg'), at('sample_000.jpg')]);
    expect(added.changed).toBe(3);
    expect(added.failed).toEqual([{ target: at('nope.jpg'), error: 'not in the library (index its folder first)' }]);
    expect(core.albums.add(album.id, [one.id, 999_999]).failed).toEqual([{ target: 999_999, error: 'no photo with id 999999' }]);
    expect(core.albums.show('picks').album.photos).toBe(3);
    const removed = core.albums.remove('Picks', [at('sample_001.jpg'), at('sample_002.jpg')]);
    expect(removed).toMatchObject({ changed: 1, failed: [] });
    // Photos added in one call share their time and then follow photo ids, which indexing hands out in the
    // order decodes finish: compare as a set.
    const shown = core.albums.show('Picks').photoIds.map((id) => core.catalog.photos.byId(id)!.path);
    expect(shown.sort()).toEqual([at('sample_000.jpg'), at('trip', 'sample_003.jpg')].sort());
    // The grid's album filter.
    expect(core.catalog.browse.count({ albumId: album.id })).toBe(2);
    // Deleting an album keeps its photos.
    core.albums.create('Gone');
    core.albums.add('Gone', [at('sample_002.jpg')]);
    core.albums.delete('Gone');
    expect(core.catalog.photos.byPath(at('sample_002.jpg'))).toBeDefined();
  });

  it('keeps a photo in its albums when its file is renamed and moved to another folder', async () => {
    const before = core.catalog.photos.byPath(at('sample_000.jpg'))!;
    fs.mkdirSync(at('moved'));
    fs.renameSync(at('sample_000.jpg'), at('moved', 'renamed.jpg'));
    fs.renameSync(at('trip', 'sample_003.jpg'), at('trip', 'beach.jpg'));
    await core.index([photos]);
    const moved = core.catalog.photos.byPath(at('moved', 'renamed.jpg'))!;
    expect(moved.id).toBe(before.id);
    const shown = core.albums.show('Picks').photoIds.map((id) => core.catalog.photos.byId(id)!.path).sort();
    expect(shown).toEqual([at('moved', 'renamed.jpg'), at('trip', 'beach.jpg')].sort());
  }, 60_000);

  it('carries album membership to the keeper when duplicates are resolved', () => {
    const keeper = core.catalog.photos.byPath(at('sample_001.jpg'))!;
    const copy = core.catalog.photos.byPath(at('sample_002.jpg'))!;
    core.albums.create('Copies');
    core.albums.add('Copies', [copy.id]);
    core.catalog.carryOver(keeper.id, [keeper.id, copy.id]);
    core.catalog.removePhoto(copy.id);
    expect(core.albums.show('Copies').photoIds).toEqual([keeper.id]);
    expect(core.catalog.albums.ofPhoto(keeper.id)).toEqual([core.albums.resolve('Copies').id]);
  });
});
