import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRouter } from '../../app/api/router.js';
import type { LibraryService } from '../../app/library/library-service.js';
import { valueOf } from '../helpers/api-value.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/fixtures.js';

describe('moving chosen photos to the trash through the API (the selection bar: Move to Trash)', () => {
  const root = tempDir('shoebox-api-trash-');
  const photos = path.join(root, 'photos');
  const dataHome = path.join(root, 'xdg');
  const trashFiles = path.join(dataHome, 'Trash', 'files');
  let api: Awaited<ReturnType<typeof import('../helpers/api-library.js').openApi>>;
  let library: LibraryService;
  let router: ApiRouter;
  const originalPath = (name: string) => decodeURIComponent(/^Path=(.*)$/m.exec(fs.readFileSync(path.join(dataHome, 'Trash', 'info', `${name}.trashinfo`), 'utf8'))![1]!);
  const idOf = (file: string) => library.core.catalog.photos.byPath(path.join(photos, file))!.id;

  beforeAll(async () => {
    // The Freedesktop trash lives in $XDG_DATA_HOME/Trash; set before the trash library is first loaded.
    fs.mkdirSync(dataHome);
    process.env['XDG_DATA_HOME'] = dataHome;
    process.env['HOME'] = dataHome;
    fs.mkdirSync(photos);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'a.jpg'));
    fs.writeFileSync(path.join(photos, 'a.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_001.jpg'), path.join(photos, 'b.jpg'));
    const { openApi } = await import('../helpers/api-library.js');
    api = await openApi(root, [photos]);
    ({ library, router } = api);
  });
  afterAll(() => api.close());

  it('moves nothing without the confirmation', async () => {
    expect(await router.call('photos.trash', { ids: [idOf('a.jpg')] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(fs.readdirSync(photos).sort()).toEqual(['a.jpg', 'a.xmp', 'b.jpg']);
  });

  it('moves a confirmed photo and its sidecar to the OS trash, unchanged, and says which ids it could not', async () => {
    const a = idOf('a.jpg');
    const outcome = valueOf<{ trashed: number[]; failed: { id: number; error: string }[] }>(await router.call('photos.trash', { ids: [a, 999_999], confirmed: true }));
    expect(outcome).toEqual({ trashed: [a], failed: [{ id: 999_999, error: 'no photo with id 999999' }] });
    expect(fs.readdirSync(photos)).toEqual(['b.jpg']);
    // The Freedesktop trash keeps each file under a name of its own, with its original path in info/.
    const trashed = new Map(fs.readdirSync(trashFiles).map((name) => [originalPath(name), path.join(trashFiles, name)] as const));
    expect([...trashed.keys()].sort()).toEqual([path.join(photos, 'a.jpg'), path.join(photos, 'a.xmp')]);
    expect(fs.readFileSync(trashed.get(path.join(photos, 'a.jpg'))!).equals(fs.readFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg')))).toBe(true);
    expect(library.core.catalog.photos.byId(a)).toBeUndefined();
    expect(library.core.catalog.photos.byPath(path.join(photos, 'b.jpg'))).toBeDefined();
  });
});
