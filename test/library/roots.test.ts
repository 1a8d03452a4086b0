import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { tempDir } from '../helpers/cli.js';
import { libraryWithPhotos } from '../helpers/library-with-photos.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const GOOD = ['sample_000.jpg', 'sample_001.jpg', 'sample_024.jpg'];

describe('watched roots: add, list with status, offline drives, remove', () => {
  const fixture = libraryWithPhotos('roots', GOOD);
  let library: string;
  let photos: string;
  let core: Core;
  beforeEach(() => ({ library, photos, core } = fixture.current));
  afterEach(() => {
    fs.rmSync(`${photos}-unplugged`, { recursive: true, force: true });
  });

  it('adds a root, indexes it, and lists photo and failure counts', async () => {
    expect(core.addRoot(photos)).toMatchObject({ path: photos, photoCount: 0, failedCount: 0, online: true, lastIndexedAt: null });
    expect(() => core.addRoot(path.join(photos, 'nope'))).toThrow(/not a folder/);
    expect(() => core.addRoot(library)).toThrow(/inside the library/);
    fs.writeFileSync(path.join(photos, 'broken.jpg'), 'text');
    expect(await core.indexRoots()).toMatchObject({ indexed: 3, offline: [] });
    const [root] = core.listRoots();
    expect(root).toMatchObject({ path: photos, photoCount: 3, failedCount: 1, online: true, offlineSince: null });
    expect(root!.lastIndexedAt).not.toBeNull();
  });

  it('marks an unplugged root offline and keeps its photos, then finds them again with the same ids', async () => {
    core.addRoot(photos);
    await core.indexRoots();
    const ids = GOOD.map((f) => core.catalog.photos.byPath(path.join(photos, f))!.id);

    fs.renameSync(photos, `${photos}-unplugged`); // the drive goes away
    const report = await core.indexRoots();
    expect(report).toMatchObject({ removed: 0, offline: [photos], failed: [] });
    expect(core.catalog.photos.count()).toBe(3);
    expect(core.listRoots()[0]).toMatchObject({ online: false, photoCount: 3 });
    expect(core.listRoots()[0]!.offlineSince).not.toBeNull();

    // An unmounted share leaves an empty mount point: also offline, not "every photo deleted".
    fs.mkdirSync(photos);
    expect(await core.indexRoots()).toMatchObject({ removed: 0, offline: [photos] });
    expect(core.catalog.photos.count()).toBe(3);
    fs.rmdirSync(photos);

    fs.renameSync(`${photos}-unplugged`, photos); // plugged back in
    expect(await core.indexRoots()).toMatchObject({ indexed: 0, unchanged: 3, offline: [] });
    expect(core.listRoots()[0]).toMatchObject({ online: true, offlineSince: null });
    expect(GOOD.map((f) => core.catalog.photos.byPath(path.join(photos, f))!.id)).toEqual(ids);
  });

  it('removes a root from the catalog with its photos, leaving the files alone', async () => {
    await core.index([photos]); // indexing a folder registers it as a root
    expect(core.listRoots().map((r) => r.path)).toEqual([photos]);
    expect(core.removeRoot(photos)).toEqual({ removedPhotos: 3 });
    expect(core.listRoots()).toEqual([]);
    expect(core.catalog.photos.count()).toBe(0);
    expect(await core.search('a photo', { all: true })).toEqual([]);
    expect(fs.readdirSync(photos).sort()).toEqual(GOOD);
    expect(() => core.removeRoot(photos)).toThrow(/not a root/);
  });
});
