import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { watchFolders } from '../../app/watcher/watch-folders.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { renamedTinyClip } from '../models/pack-server.js';

interface Labelled {
  file: string;
  scene: string | null;
}
const labels = (JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'labels.json'), 'utf8')) as { images: Labelled[] }).images;
const NIGHT = labels.filter((l) => l.scene === 'night').map((l) => l.file);
const QUERY = 'the night sky';

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Smart albums in the core over a real catalog, tiny-clip and the live watcher: members are the search's
 * default result set, pins and keep-outs are never overwritten, and new photos join as they are indexed.
 */
describe('smart albums', () => {
  const library = tempDir('smart-albums-lib');
  const photos = tempDir('smart-albums-photos');
  const incoming = path.join(photos, 'incoming');
  const at = (...parts: string[]) => path.join(photos, ...parts);
  let core: Core;
  const idOf = (p: string) => core.catalog.photos.byPath(p)!.id;
  const members = (albumId: number) => new Set(core.albums.show(albumId).photoIds);
  // Night photos held back to arrive later through the watcher; the rest of the samples are there from the start.
  const [LATE, ...EARLY_NIGHT] = NIGHT;

  beforeAll(async () => {
    fs.mkdirSync(incoming);
    for (const l of labels) if (l.file !== LATE) fs.copyFileSync(path.join(SAMPLES_DIR, l.file), at(l.file));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP, decodeThreads: 0 });
    await core.index([photos]);
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('holds what the search returns by default, with its relevance, and says why', async () => {
    const album = await core.smartAlbums.create('Nights', QUERY);
    const expected = await core.search(QUERY, { limit: 5000 });
    expect(expected.length).toBeGreaterThan(0);
    expect(members(album.id)).toEqual(new Set(expected.map((r) => r.photoId)));
    expect(album).toMatchObject({ name: 'Nights', smartQuery: QUERY, photos: expected.length });
    const nights = expected.filter((r) => NIGHT.includes(path.basename(r.path))).length;
    console.log(`[smart albums] "${QUERY}": ${expected.length} members, ${nights} of them night photos (of ${EARLY_NIGHT.length} in the library)`);
    expect(nights / expected.length).toBeGreaterThanOrEqual(0.8);

    const first = expected[0]!;
    expect(core.smartAlbums.why(album.id, first.photoId)).toEqual({ reason: 'match', query: QUERY, relevance: first.relevance });
    const outsider = idOf(at('sample_001.jpg')); // two red circles on orange
    expect(core.smartAlbums.why('nights', outsider)).toEqual({ reason: 'none', query: QUERY });
  });

  it('pins in what the user adds and keeps out what the user removes; updates never overwrite either', async () => {
    const album = core.albums.resolve('Nights');
    const pinned = idOf(at('sample_001.jpg'));
    const keptOut = [...members(album.id)][0]!;
    expect(core.albums.add(album.id, [pinned]).changed).toBe(1);
    expect(core.albums.remove(album.id, [keptOut]).changed).toBe(1);
    await core.smartAlbums.update(album.id);
    expect(members(album.id).has(pinned)).toBe(true);
    expect(members(album.id).has(keptOut)).toBe(false);
    expect(core.smartAlbums.why(album.id, pinned)).toEqual({ reason: 'pinned', query: QUERY });
    expect(core.smartAlbums.why(album.id, keptOut)).toEqual({ reason: 'kept-out', query: QUERY });

    // Another search keeps the decisions; a photo that left the result leaves the album, the pin stays.
    const before = members(album.id);
    const edited = await core.smartAlbums.edit(album.id, { query: 'a red circle' });
    expect(edited.smartQuery).toBe('a red circle');
    const after = members(album.id);
    expect(after.has(pinned)).toBe(true);
    expect(after.has(keptOut)).toBe(false);
    const reds = await core.search('a red circle', { limit: 5000 });
    expect(after).toEqual(new Set([...reds.map((r) => r.photoId).filter((id) => id !== keptOut), pinned]));
    expect([...before].some((id) => !after.has(id))).toBe(true);
    // The pinned photo is a red circle: pinned, and its relevance as a match is shown too.
    expect(core.smartAlbums.why(album.id, pinned)).toMatchObject({ reason: 'pinned', relevance: expect.any(Number) });

    // Adding a kept-out photo pins it back in.
    await core.smartAlbums.edit(album.id, { query: QUERY });
    core.albums.add(album.id, [keptOut]);
    expect(core.smartAlbums.why(album.id, keptOut)).toMatchObject({ reason: 'pinned' });
    core.albums.remove(album.id, [keptOut]);
    expect(core.smartAlbums.why(album.id, keptOut)).toMatchObject({ reason: 'kept-out' });
  });

  it('takes filters (a folder) and refuses searches it cannot run, keeping the album as it was', async () => {
    const folders = core.catalog.folders.list();
    const root = folders.find((f) => f.path === photos)!;
    const filtered = await core.smartAlbums.create('Nights here', QUERY, { folderIds: [root.id], minRating: 0 });
    expect(filtered.photos).toBeGreaterThan(0);
    const empty = await core.smartAlbums.create('Nights elsewhere', QUERY, { folderIds: [987_654] });
    expect(empty.photos).toBe(0);
    await expect(core.smartAlbums.create('Only not', '-people')).rejects.toThrow('a smart album needs words to search for');
    await expect(core.smartAlbums.create('Tagged', QUERY, { tags: ['No such tag'] })).rejects.toThrow('no tag "No such tag"');
    expect(core.albums.list().map((a) => a.name)).not.toContain('Tagged'); // nothing half-made
    await expect(core.smartAlbums.edit('Nights here', { filters: { tags: ['No such tag'] } })).rejects.toThrow('no tag');
    expect(core.albums.resolve('Nights here').smartFilters).toBe(JSON.stringify({ folderIds: [root.id], minRating: 0 }));
    await expect(core.smartAlbums.edit('Nights here', { filters: { albumId: filtered.id } })).rejects.toThrow('cannot be filtered by itself');
    const hand = core.albums.create('By hand');
    await expect(core.smartAlbums.edit(hand.id, { query: 'x' })).rejects.toThrow('"By hand" is not a smart album');
    expect(core.smartAlbums.why(hand.id, idOf(at('sample_001.jpg')))).toEqual({ reason: 'none', query: null });
  });

  it('carries pins and keep-outs to the keeper when duplicates are resolved', async () => {
    const album = core.albums.resolve('Nights');
    const [copyPinned, copyKept, keeper1, keeper2] = ['sample_011.jpg', 'sample_039.jpg', 'sample_049.jpg', 'sample_078.jpg'].map((f) => idOf(at(f))) as [number, number, number, number];
    core.albums.add(album.id, [copyPinned]);
    core.albums.remove(album.id, [copyKept]);
    core.catalog.carryOver(keeper1, [copyPinned]);
    core.catalog.carryOver(keeper2, [copyKept]);
    expect(core.smartAlbums.why(album.id, keeper1)).toMatchObject({ reason: 'pinned' });
    expect(core.smartAlbums.why(album.id, keeper2)).toMatchObject({ reason: 'kept-out' });
    await core.smartAlbums.update(album.id);
    expect(members(album.id).has(keeper1)).toBe(true);
  });

  it('gains a matching photo copied into a watched folder, follows a kept-out photo through a move and never re-adds it', async () => {
    const album = core.albums.resolve('Nights');
    const watching = await watchFolders(core, [photos], { debounceMs: 200 });
    await watching.idle();
    const keptOut = [...members(album.id)].find((id) => core.smartAlbums.why(album.id, id).reason === 'match')!;
    core.albums.remove(album.id, [keptOut]);
    const keptPath = core.catalog.photos.byId(keptOut)!.path;

    const late = path.join(incoming, LATE!);
    fs.copyFileSync(path.join(SAMPLES_DIR, LATE!), late);
    const moved = path.join(incoming, `moved-${path.basename(keptPath)}`);
    fs.renameSync(keptPath, moved);
    await waitFor(() => core.catalog.photos.byPath(late) !== undefined && core.catalog.photos.byPath(moved) !== undefined, 'the new photo and the move to be indexed');
    await watching.idle();
    await core.whenSmartAlbumsIdle();
    const lateId = idOf(late);
    const searchSays = (await core.search(QUERY, { limit: 5000 })).some((r) => r.photoId === lateId);
    console.log(`[smart albums] ${LATE} copied in: search returns it ${searchSays}, album has it ${members(album.id).has(lateId)}`);
    expect(searchSays).toBe(true);
    await waitFor(() => members(album.id).has(lateId), 'the smart album to gain the new night photo');
    expect(core.smartAlbums.why(album.id, lateId)).toMatchObject({ reason: 'match', query: QUERY });
    expect(idOf(moved)).toBe(keptOut); // the same photo, moved
    expect(members(album.id).has(keptOut)).toBe(false);
    expect(core.smartAlbums.why(album.id, keptOut).reason).toBe('kept-out');
    // And again after the next indexing run.
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(incoming, 'another.jpg'));
    await waitFor(() => core.catalog.photos.byPath(path.join(incoming, 'another.jpg')) !== undefined, 'another run');
    await watching.idle();
    await core.whenSmartAlbumsIdle();
    expect(members(album.id).has(keptOut)).toBe(false);
    await watching.close();
  }, 60_000);

  it('is searched again after a model switch, keeping pins and keep-outs', async () => {
    const album = core.albums.resolve('Nights');
    const match = [...members(album.id)].find((id) => core.smartAlbums.why(album.id, id).reason === 'match')!;
    const relevance = core.smartAlbums.why(album.id, match).relevance!;
    // A stale figure the next update must replace: the switch, and nothing else here, starts one.
    core.catalog.db.prepare('UPDATE album_photos SET relevance = 999 WHERE album_id = ? AND photo_id = ?').run(album.id, match);
    const pinned = core.albums.show(album.id).photoIds.filter((id) => core.smartAlbums.why(album.id, id).reason === 'pinned');
    const keptOut = core.catalog.smartAlbums.keptOut(album.id);
    // tiny-clip's weights under another name (tiny-clip-gap fails the install self-check: 11/12).
    const pack = tempDir('smart-albums-pack');
    for (const [file, bytes] of Object.entries(renamedTinyClip('tiny-clip-renamed'))) fs.writeFileSync(path.join(pack, file), bytes);
    const installed = await core.installModel(pack);
    expect(await core.useModel(installed.id)).toMatchObject({ switched: true });
    await core.whenSmartAlbumsIdle();
    expect(core.smartAlbums.why(album.id, match)).toEqual({ reason: 'match', query: QUERY, relevance });
    const expected = (await core.search(QUERY, { limit: 5000 })).map((r) => r.photoId).filter((id) => !keptOut.includes(id));
    expect(members(album.id)).toEqual(new Set([...expected, ...pinned]));
    fs.rmSync(pack, { recursive: true, force: true });
  }, 120_000);
});
