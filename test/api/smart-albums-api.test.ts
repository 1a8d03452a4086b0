import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlbumChangeView, AlbumView, AlbumWhyView, DuplicateGroupView, Page, SearchResponse } from '../../app/api/contract.js';
import type { ApiRouter } from '../../app/api/router.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { valueOf as value } from '../helpers/api-value.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES, SAMPLES_DIR } from '../helpers/fixtures.js';

const QUERY = 'the night sky';
// Night photos (two of them red circles), two red circles at sunset, and others; sample_090 also as an exact copy.
const FILES = ['sample_009.jpg', 'sample_023.jpg', 'sample_030.jpg', 'sample_048.jpg', 'sample_090.jpg', 'sample_062.jpg', 'sample_001.jpg', 'sample_045.jpg', 'sample_016.jpg', 'sample_019.jpg'];

/** Smart albums and "more like these" through the API contract, as the renderer calls them. */
describe('smart albums and more like these through the API', () => {
  const root = tempDir('shoebox-api-smart-');
  const photos = path.join(root, 'photos');
  const dataHome = path.join(root, 'xdg');
  let api: Awaited<ReturnType<typeof import('../helpers/api-library.js').openApi>>;
  let library: LibraryService;
  let router: ApiRouter;
  const idOf = (file: string) => library.core.catalog.photos.byPath(path.join(photos, file))!.id;
  const pageIds = async (filters: object) => value<Page>(await router.call('photos.page', { filters })).items.map((p) => p.id).sort((a, b) => a - b);

  beforeAll(async () => {
    // The Freedesktop trash lives in $XDG_DATA_HOME/Trash; set before the trash library is first loaded.
    fs.mkdirSync(dataHome);
    process.env['XDG_DATA_HOME'] = dataHome;
    process.env['HOME'] = dataHome;
    fs.mkdirSync(path.join(photos, 'copies'), { recursive: true });
    for (const f of FILES) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_090.jpg'), path.join(photos, 'copies', 'sample_090.jpg'));
    fs.copyFileSync(path.join(FIXTURES, 'like-these', 'dev_0257.jpg'), path.join(photos, 'dev_0257.jpg'));
    const { openApi } = await import('../helpers/api-library.js');
    api = await openApi(root, [photos]);
    ({ library, router } = api);
  }, 120_000);
  afterAll(() => api?.close());

  it('creates a smart album whose members the grid shows by albumId, lists it with its search and count, and says why', async () => {
    const album = value<AlbumView>(await router.call('albums.createSmart', { name: 'Nights', query: QUERY, filters: {} }));
    const search = value<SearchResponse>(await router.call('search.text', { query: QUERY, limit: 500 }));
    expect(search.weak).toBe(false);
    expect(album).toMatchObject({ name: 'Nights', photos: search.results.length, smart: { query: QUERY, filters: {} } });
    expect(await pageIds({ albumId: album.id })).toEqual(search.results.map((r) => r.id).sort((a, b) => a - b));
    expect(value<AlbumView[]>(await router.call('albums.list', {}))).toEqual([album]);

    const why = value<AlbumWhyView>(await router.call('albums.why', { id: album.id, photoId: search.results[0]!.id }));
    expect(why).toEqual({ reason: 'match', query: QUERY, relevance: expect.any(Number) });
    expect(value<AlbumWhyView>(await router.call('albums.why', { id: album.id, photoId: idOf('sample_001.jpg') }))).toEqual({ reason: 'none', query: QUERY });
    expect(await router.call('albums.why', { id: album.id, photoId: 987_654 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await router.call('albums.createSmart', { name: 'nights', query: 'snow' })).toMatchObject({ ok: false, error: { code: 'user', message: 'an album "Nights" already exists' } });
    expect(await router.call('albums.createSmart', { name: 'Empty', query: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('albums.add pins in, albums.remove keeps out; editSmart changes the search and keeps both', async () => {
    const album = value<AlbumView[]>(await router.call('albums.list', {}))[0]!;
    const members = await pageIds({ albumId: album.id });
    const keptOut = members[0]!;
    const pinned = idOf('sample_001.jpg');
    expect(value<AlbumChangeView>(await router.call('albums.add', { id: album.id, photoIds: [pinned] }))).toMatchObject({ changed: 1, album: { photos: members.length + 1 } });
    expect(value<AlbumChangeView>(await router.call('albums.remove', { id: album.id, photoIds: [keptOut] }))).toMatchObject({ changed: 1, album: { photos: members.length } });
    expect(value<AlbumWhyView>(await router.call('albums.why', { id: album.id, photoId: pinned }))).toEqual({ reason: 'pinned', query: QUERY });
    expect(value<AlbumWhyView>(await router.call('albums.why', { id: album.id, photoId: keptOut }))).toEqual({ reason: 'kept-out', query: QUERY });

    const edited = value<AlbumView>(await router.call('albums.editSmart', { id: album.id, filters: { minRating: 0 } }));
    expect(edited.smart).toEqual({ query: QUERY, filters: { minRating: 0 } });
    const after = await pageIds({ albumId: album.id });
    expect(after).toContain(pinned);
    expect(after).not.toContain(keptOut);
    expect(await router.call('albums.editSmart', { id: album.id, query: '-people' })).toMatchObject({ ok: false, error: { code: 'user' } });
    const hand = value<AlbumView>(await router.call('albums.create', { name: 'By hand' }));
    expect(hand.smart).toBeUndefined();
    expect(await router.call('albums.editSmart', { id: hand.id, query: 'snow' })).toMatchObject({ ok: false, error: { code: 'user', message: '"By hand" is not a smart album' } });
  });

  it('follows the marks its filters name: a photo rated through the API joins in the background', async () => {
    const album = value<AlbumView>(await router.call('albums.createSmart', { name: 'Best nights', query: QUERY, filters: { minRating: 4 } }));
    expect(album.photos).toBe(0);
    const night = value<SearchResponse>(await router.call('search.text', { query: QUERY })).results[0]!;
    const events: string[] = [];
    const stop = library.on((name) => events.push(name));
    value(await router.call('photos.rate', { ids: [night.id], rating: 5 }));
    await library.core.whenSmartAlbumsIdle();
    stop();
    expect(await pageIds({ albumId: album.id })).toEqual([night.id]);
    expect(events.filter((e) => e === 'library.changed').length).toBeGreaterThanOrEqual(2); // the rating, then the album's update
    value(await router.call('photos.rate', { ids: [night.id], rating: 0 }));
    await library.core.whenSmartAlbumsIdle();
    expect(await pageIds({ albumId: album.id })).toEqual([]);
    value(await router.call('albums.delete', { id: album.id }));
  });

  it('carries a pin to the keeper when duplicates are resolved', async () => {
    const album = value<AlbumView[]>(await router.call('albums.list', {})).find((a) => a.name === 'Nights')!;
    const groups = value<DuplicateGroupView[]>(await router.call('duplicates.list', {}));
    const exact = groups.find((g) => g.kind === 'exact')!;
    const copy = exact.photos.find((p) => p.id !== exact.keepId)!;
    value(await router.call('albums.remove', { id: album.id, photoIds: [exact.keepId] })); // the keeper kept out...
    value(await router.call('albums.add', { id: album.id, photoIds: [copy.id] })); // ...then its copy pinned: the keeper has a decision of its own
    const other = value<AlbumView>(await router.call('albums.createSmart', { name: 'Red circles', query: 'a red circle' }));
    value(await router.call('albums.add', { id: other.id, photoIds: [copy.id] })); // here the keeper has none: it takes the copy's pin
    value(await router.call('duplicates.resolve', { keepId: exact.keepId, trashIds: [copy.id], confirmed: true }));
    expect(value<AlbumWhyView>(await router.call('albums.why', { id: other.id, photoId: exact.keepId }))).toMatchObject({ reason: 'pinned' });
    expect(value<AlbumWhyView>(await router.call('albums.why', { id: album.id, photoId: exact.keepId }))).toMatchObject({ reason: 'kept-out' });
  });

  it('the live library: a night photo copied into the watched folder joins the smart album, and windows hear of it', async () => {
    const album = value<AlbumView[]>(await router.call('albums.list', {})).find((a) => a.name === 'Nights')!;
    const events: string[] = [];
    const stop = library.on((name) => events.push(name));
    const arrived = path.join(photos, 'arrived.jpg');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_083.jpg'), arrived); // two brown crosses in the night sky
    const deadline = Date.now() + 30_000;
    while (!library.core.catalog.photos.byPath(arrived) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await library.idle();
    await library.core.whenSmartAlbumsIdle();
    stop();
    const id = idOf('arrived.jpg');
    expect(await pageIds({ albumId: album.id })).toContain(id);
    expect(value<AlbumWhyView>(await router.call('albums.why', { id: album.id, photoId: id }))).toMatchObject({ reason: 'match', query: QUERY });
    expect(events).toContain('library.changed');
  });

  it('search.similar takes several photos and steering words, and still one id', async () => {
    const steered = value<SearchResponse>(await router.call('search.similar', { ids: [idOf('sample_062.jpg'), idOf('sample_001.jpg')], text: 'at night', filters: {}, limit: 3 }));
    expect(steered.results.slice(0, 2).map((r) => r.name).sort()).toEqual(['dev_0257.jpg', 'sample_090.jpg']);
    expect(steered.results.map((r) => r.id)).not.toContain(idOf('sample_062.jpg'));
    const one = value<SearchResponse>(await router.call('search.similar', { id: idOf('sample_062.jpg') }));
    expect(one.results.length).toBeGreaterThan(0);
    expect(await router.call('search.similar', { id: 1, ids: [2] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await router.call('search.similar', { ids: Array.from({ length: 21 }, (_, i) => i + 1) })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await router.call('search.similar', { ids: [idOf('sample_062.jpg'), 987_654] })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'no photo with id 987654' } });
  });
});
