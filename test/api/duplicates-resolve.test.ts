import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateGroupView } from '../../app/api/contract.js';
import type { ApiRouter, CallOutcome } from '../../app/api/router.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { tempDir } from '../helpers/cli.js';
import { TEST_PHOTOS_DIR } from '../helpers/fixtures.js';
import { valueOf } from '../helpers/api-value.js';

const value = <T>(outcome: CallOutcome): T => valueOf<T>(outcome);

describe('duplicate review through the API: confirmed, checked, to the trash', () => {
  const root = tempDir('shoebox-api-dupes-');
  const photos = path.join(root, 'photos');
  const dataHome = path.join(root, 'xdg');
  let api: Awaited<ReturnType<typeof import('../helpers/api-library.js').openApi>>;
  let library: LibraryService;
  let router: ApiRouter;

  beforeAll(async () => {
    // The Freedesktop trash lives in $XDG_DATA_HOME/Trash; set before the trash library is first loaded.
    fs.mkdirSync(dataHome);
    process.env['XDG_DATA_HOME'] = dataHome;
    process.env['HOME'] = dataHome;
    fs.mkdirSync(path.join(photos, 'export'), { recursive: true });
    const bytes = fs.readFileSync(path.join(TEST_PHOTOS_DIR, 'Storm.jpg'));
    fs.writeFileSync(path.join(photos, 'Storm.jpg'), bytes);
    fs.writeFileSync(path.join(photos, 'export', 'Storm.jpg'), bytes);
    fs.writeFileSync(path.join(photos, 'Storm-web.jpg'), await sharp(bytes).resize({ width: 640 }).jpeg({ quality: 80 }).toBuffer());
    fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Garden.jpg'), path.join(photos, 'Garden.jpg'));
    // Loaded after the environment is set: the trash library reads XDG_DATA_HOME when it is imported.
    const { openApi } = await import('../helpers/api-library.js');
    api = await openApi(root, [photos]);
    ({ library, router } = api);
  });
  afterAll(() => api.close());

  it('lists the groups with a suggested keeper and the facts to compare', async () => {
    const groups = value<DuplicateGroupView[]>(await router.call('duplicates.list', {}));
    const exact = groups.find((g) => g.kind === 'exact')!;
    expect(exact.photos.map((p) => p.path).sort()).toEqual([path.join(photos, 'Storm.jpg'), path.join(photos, 'export', 'Storm.jpg')].sort());
    expect(exact.photos.find((p) => p.id === exact.keepId)!.path).toBe(path.join(photos, 'Storm.jpg'));
    expect(exact.keepReason).toBeTruthy();
    expect(exact.photos.every((p) => p.size > 0 && p.width > 0 && p.format === 'jpeg')).toBe(true);
  });

  it('moves nothing without confirmation, for an id outside the group, or when keeping and trashing one photo', async () => {
    const groups = value<DuplicateGroupView[]>(await router.call('duplicates.list', {}));
    const exact = groups.find((g) => g.kind === 'exact')!;
    const copy = exact.photos.find((p) => p.id !== exact.keepId)!;
    const garden = library.core.catalog.photos.byPath(path.join(photos, 'Garden.jpg'))!;
    expect(await router.call('duplicates.resolve', { keepId: exact.keepId, trashIds: [copy.id] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await router.call('duplicates.resolve', { keepId: exact.keepId, trashIds: [garden.id], confirmed: true })).toMatchObject({ ok: false, error: { code: 'user' } });
    expect(await router.call('duplicates.resolve', { keepId: exact.keepId, trashIds: [exact.keepId], confirmed: true })).toMatchObject({ ok: false, error: { code: 'user' } });
    expect(fs.readdirSync(photos).sort()).toEqual(['Garden.jpg', 'Storm-web.jpg', 'Storm.jpg', 'export']);
    expect(fs.readdirSync(path.join(photos, 'export'))).toEqual(['Storm.jpg']);
  });

  it('trashes the chosen copy recoverably, carries its rating to the keeper, and leaves the catalog consistent', async () => {
    const groups = value<DuplicateGroupView[]>(await router.call('duplicates.list', {}));
    const exact = groups.find((g) => g.kind === 'exact')!;
    const copy = exact.photos.find((p) => p.id !== exact.keepId)!;
    library.core.catalog.photos.setRating(copy.id, 5); // the photographer starred the copy, not the original
    value(await router.call('tags.decide', { ids: [copy.id], tag: 'Storm chasing', decision: 'add' }));
    const outcome = value<{ trashed: number[]; failed: unknown[] }>(await router.call('duplicates.resolve', { keepId: exact.keepId, trashIds: [copy.id], confirmed: true }));
    expect(outcome).toEqual({ trashed: [copy.id], failed: [] });
    expect(fs.existsSync(copy.path)).toBe(false);
    expect(library.core.catalog.photos.byId(copy.id)).toBeUndefined();
    expect(library.core.catalog.photos.byId(exact.keepId)!.rating).toBe(5);
    const keeperTags = value<{ name: string; source: string }[]>(await router.call('tags.ofPhoto', { id: exact.keepId }));
    expect(keeperTags).toContainEqual(expect.objectContaining({ name: 'Storm chasing', source: 'user' }));
    const trashedFiles = fs.readdirSync(path.join(dataHome, 'Trash', 'files'));
    expect(trashedFiles).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataHome, 'Trash', 'files', trashedFiles[0]!))).toEqual(fs.readFileSync(path.join(photos, 'Storm.jpg')));
    const after = value<DuplicateGroupView[]>(await router.call('duplicates.list', {}));
    expect(after.some((g) => g.kind === 'exact')).toBe(false);
  });

  it('remembers "not duplicates" from the review screen', async () => {
    const near = value<DuplicateGroupView[]>(await router.call('duplicates.list', {})).find((g) => g.kind === 'near')!;
    expect(near.photos).toHaveLength(2);
    value(await router.call('duplicates.notDuplicates', { a: near.photos[0]!.id, b: near.photos[1]!.id }));
    expect(value<DuplicateGroupView[]>(await router.call('duplicates.list', {})).some((g) => g.kind === 'near')).toBe(false);
  });
});
