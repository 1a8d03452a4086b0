import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { fromFsBytes } from '../../app/util/fs-names.js';
import { watchFolders } from '../../app/watcher/watch-folders.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `<dir>/<before>\xE9<after>`: a Latin-1 é, not valid UTF-8. */
const latin1 = (dir: string, before: string, after: string) => Buffer.concat([Buffer.from(path.join(dir, before)), Buffer.of(0xe9), Buffer.from(after)]);

describe('watching a folder with names that are not UTF-8 (chokidar only sees them lossily)', () => {
  const library = tempDir('watch-raw-lib');
  const photos = tempDir('watch-raw-photos');
  afterAll(() => {
    for (const d of [library, photos]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('indexes a new photo by its bytes, follows its rename, an edit in place and its deletion, without warnings', async () => {
    fs.mkdirSync(path.join(photos, 'old card'));
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'flat.jpg'));
    const core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    const errors: string[] = [];
    const watching = await watchFolders(core, [photos], { debounceMs: 200, onError: (m) => errors.push(m) });
    try {
      await watching.idle();
      const added = latin1(path.join(photos, 'old card'), 'soir', 'e.jpg');
      fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_093.jpg'), added); // a sunset over the beach
      const stored = fromFsBytes(added);
      await waitFor(async () => (await core.search('a sunset')).some((r) => r.path === stored), 'the new photo to be searchable');
      const id = core.catalog.photos.byPath(stored)!.id;

      const renamed = latin1(path.join(photos, 'old card'), 'plage d', 't.jpg');
      fs.renameSync(added, renamed);
      await waitFor(() => core.catalog.photos.byPath(fromFsBytes(renamed)) !== undefined && !core.catalog.photos.byPath(stored), 'the rename');
      expect(core.catalog.photos.byPath(fromFsBytes(renamed))!.id).toBe(id);

      // Saved over in place: fs.watch reports only a 'change', under the lossy name.
      const edited = fs.readFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg'));
      fs.writeFileSync(renamed, edited);
      await waitFor(() => core.catalog.photos.byPath(fromFsBytes(renamed))?.size === edited.length, 'the edit');

      fs.rmSync(renamed);
      await waitFor(() => core.catalog.photos.byPath(fromFsBytes(renamed)) === undefined, 'the deletion');
      await watching.idle();
      expect(core.catalog.photos.count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await watching.close();
      await core.close();
    }
  });
});
