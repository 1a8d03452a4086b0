import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlbumChangeView, AlbumView, DuplicateGroupView, MarkChangeView, Page, PhotoDetail } from '../../app/api/contract.js';
import type { ApiRouter } from '../../app/api/router.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { valueOf as value } from '../helpers/api-value.js';
import { tempDir } from '../helpers/cli.js';
import { TEST_PHOTOS_DIR } from '../helpers/fixtures.js';

/** Albums, ratings, flags and labels through the API contract, down to duplicate resolution. */
describe('albums and culling through the API', () => {
  const root = tempDir('shoebox-api-albums-');
  const photos = path.join(root, 'photos');
  const dataHome = path.join(root, 'xdg');
  let api: Awaited<ReturnType<typeof import('../helpers/api-library.js').openApi>>;
  let library: LibraryService;
  let router: ApiRouter;
  const idOf = (file: string) => library.core.catalog.photos.byPath(path.join(photos, file))!.id;

  beforeAll(async () => {
    // The Freedesktop trash lives in $XDG_DATA_HOME/Trash; set before the trash library is first loaded.
    fs.mkdirSync(dataHome);
    process.env['XDG_DATA_HOME'] = dataHome;
    process.env['HOME'] = dataHome;
    fs.mkdirSync(path.join(photos, 'export'), { recursive: true });
    fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Storm.jpg'), path.join(photos, 'Storm.jpg'));
    fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Storm.jpg'), path.join(photos, 'export', 'Storm.jpg'));
    fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Garden.jpg'), path.join(photos, 'Garden.jpg'));
    const { openApi } = await import('../helpers/api-library.js');
    api = await openApi(root, [photos]);
    ({ library, router } = api);
  }, 60_000);
  afterAll(() => api?.close());

  it('creates, renames, lists and deletes albums; a taken name is a user error', async () => {
    const album = value<AlbumView>(await router.call('albums.create', { name: 'Weather' }));
    expect(album).toMatchObject({ name: 'Weather', photos: 0 });
    expect(await router.call('albums.create', { name: 'weather' })).toMatchObject({ ok: false, error: { code: 'user', message: 'an album "Weather" already exists' } });
    expect(await router.call('albums.create', { name: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(value<AlbumView>(await router.call('albums.rename', { id: album.id, name: 'Storms' })).name).toBe('Storms');
    const scratch = value<AlbumView>(await router.call('albums.create', { name: 'Scratch' }));
    expect(value<AlbumView[]>(await router.call('albums.list', {})).map((a) => a.name)).toEqual(['Scratch', 'Storms']);
    value(await router.call('albums.delete', { id: scratch.id }));
    expect(await router.call('albums.delete', { id: scratch.id })).toMatchObject({ ok: false, error: { code: 'user', message: `no album with id ${scratch.id}` } });
  });

  it('adds and removes photos by id, lists unknown ids per item, and filters the grid by album and marks', async () => {
    const album = value<AlbumView[]>(await router.call('albums.list', {}))[0]!;
    const add = value<AlbumChangeView>(await router.call('albums.add', { id: album.id, photoIds: [idOf('Storm.jpg'), idOf('Garden.jpg'), 987_654] }));
    expect(add).toMatchObject({ album: { photos: 2 }, changed: 2, failed: [{ id: 987_654, error: 'no photo with id 987654' }] });
    expect(value<AlbumChangeView>(await router.call('albums.remove', { id: album.id, photoIds: [idOf('Garden.jpg')] }))).toMatchObject({ changed: 1, album: { photos: 1 } });

    expect(value<MarkChangeView>(await router.call('photos.rate', { ids: [idOf('Garden.jpg')], rating: 3 }))).toEqual({ photos: 1, failed: [] });
    value(await router.call('photos.flag', { ids: [idOf('export/Storm.jpg')], flag: 'pick' }));
    value(await router.call('photos.label', { ids: [idOf('export/Storm.jpg')], label: 'green' }));
    expect(await router.call('photos.rate', { ids: [idOf('Garden.jpg')], rating: 6 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await router.call('photos.label', { ids: [idOf('Garden.jpg')], label: 'orange' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const names = async (filters: object) => value<Page>(await router.call('photos.page', { filters })).items.map((p) => p.name).sort();
    expect(await names({ albumId: album.id })).toEqual(['Storm.jpg']);
    expect(await names({ minRating: 3 })).toEqual(['Garden.jpg']);
    expect(await names({ flag: 'pick', label: 'green' })).toEqual(['Storm.jpg']);
    expect(await names({ flag: 'none' })).toEqual(['Garden.jpg', 'Storm.jpg']);
    const detail = value<PhotoDetail>(await router.call('photos.get', { id: idOf('export/Storm.jpg') }));
    expect(detail).toMatchObject({ rating: null, flag: 'pick', label: 'green', albumIds: [] });
    expect(value<PhotoDetail>(await router.call('photos.get', { id: idOf('Storm.jpg') })).albumIds).toEqual([album.id]);
  });

  it('carries album membership, pick and label to the keeper when a duplicate is resolved', async () => {
    const album = value<AlbumView[]>(await router.call('albums.list', {}))[0]!;
    const groups = value<DuplicateGroupView[]>(await router.call('duplicates.list', {}));
    const exact = groups.find((g) => g.kind === 'exact')!;
    const copy = exact.photos.find((p) => p.id !== exact.keepId)!;
    // Put the album on the copy only, so that the keeper can only have it by carrying.
    value(await router.call('albums.remove', { id: album.id, photoIds: [exact.keepId] }));
    value(await router.call('albums.add', { id: album.id, photoIds: [copy.id] }));
    value(await router.call('photos.flag', { ids: [exact.keepId], flag: 'none' }));
    value(await router.call('photos.label', { ids: [exact.keepId], label: 'none' }));
    value(await router.call('photos.flag', { ids: [copy.id], flag: 'pick' }));
    value(await router.call('photos.label', { ids: [copy.id], label: 'green' }));
    expect(value<{ trashed: number[] }>(await router.call('duplicates.resolve', { keepId: exact.keepId, trashIds: [copy.id], confirmed: true })).trashed).toEqual([copy.id]);
    const keeper = value<PhotoDetail>(await router.call('photos.get', { id: exact.keepId }));
    expect(keeper).toMatchObject({ flag: 'pick', label: 'green', albumIds: [album.id] });
    expect(value<AlbumView[]>(await router.call('albums.list', {}))[0]).toMatchObject({ photos: 1 });
  });
});
