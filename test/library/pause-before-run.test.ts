import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexingState } from '../../app/api/contract.js';
import { Core } from '../../app/core.js';
import { LibraryService } from '../../app/library/library-service.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

describe('LibraryService pause', () => {
  const library = tempDir('pause-lib');
  const photos = tempDir('pause-photos');
  afterAll(() => {
    for (const dir of [library, photos]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a pause made while idle holds the next run and reports it as paused until resumed', async () => {
    for (const file of ['sample_000.jpg', 'sample_001.jpg', 'sample_002.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, file), path.join(photos, file));
    const core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    const service = new LibraryService(core, { debounceMs: 50 });
    const states: IndexingState['state'][] = [];
    service.on((name, payload) => {
      if (name === 'indexing.progress') states.push((payload as IndexingState).state);
    });
    try {
      await service.start();
      service.pause();
      await service.addFolder(photos);
      // The run has started and is held: the renderer must be told it is paused (it offers Resume then).
      await expect.poll(() => states.at(-1), { timeout: 30_000 }).toBe('paused');
      await new Promise((r) => setTimeout(r, 300));
      expect(core.catalog.photos.count()).toBe(0);
      service.resume();
      await expect.poll(() => core.catalog.photos.count(), { timeout: 60_000 }).toBe(3);
      await expect.poll(() => states.at(-1), { timeout: 30_000 }).toBe('idle');
    } finally {
      await service.close();
      await core.close();
    }
  });
});
