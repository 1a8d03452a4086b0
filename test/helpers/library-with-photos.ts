import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Core } from '../../app/core.js';
import { tempDir } from './cli.js';
import { SAMPLES_DIR, TINY_CLIP } from './fixtures.js';

export interface LibraryWithPhotos {
  library: string;
  photos: string;
  core: Core;
}

/**
 * For each test: a fresh library with the tiny-clip model and a photo folder holding copies of these
 * samples; closed and removed after the test. Call inside a `describe`; read `fixture.current` in tests
 * (or in a later beforeEach).
 */
export function libraryWithPhotos(prefix: string, samples: readonly string[]): { readonly current: LibraryWithPhotos } {
  let current: LibraryWithPhotos | undefined;
  beforeEach(() => {
    const library = tempDir(`${prefix}-lib`);
    const photos = tempDir(`${prefix}-photos`);
    for (const f of samples) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    current = { library, photos, core: Core.open({ libraryDir: library, modelDir: TINY_CLIP }) };
  });
  afterEach(async () => {
    if (!current) return;
    await current.core.close();
    fs.rmSync(current.library, { recursive: true, force: true });
    fs.rmSync(current.photos, { recursive: true, force: true });
    current = undefined;
  });
  return {
    get current() {
      if (!current) throw new Error('libraryWithPhotos: read it inside a test');
      return current;
    },
  };
}
