import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { FEW_IMAGES_WITHOUT_PREPACKING } from '../../app/model/clip-model.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/**
 * The vision session's weight prepacking is skipped only by a short-lived process (the CLI) indexing a few
 * photos (see FEW_IMAGES_WITHOUT_PREPACKING): the run's count reaches the session as it opens. The speed it
 * buys is measured in `npm run bench -- cli` (first index), not here.
 */
describe('weight prepacking of the vision session (real ONNX Runtime)', () => {
  const dirs: string[] = [];
  let core: Core | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A photo folder with `photos` real samples and `junk` files named .jpg that fail to decode. */
  function folder(photos: number, junk = 0): string {
    const dir = tempDir('prepack-photos');
    dirs.push(dir);
    for (let i = 0; i < photos; i++) fs.copyFileSync(path.join(SAMPLES_DIR, `sample_00${i}.jpg`), path.join(dir, `sample_00${i}.jpg`));
    for (let i = 0; i < junk; i++) fs.writeFileSync(path.join(dir, `junk-${i}.jpg`), 'not a photo');
    return dir;
  }

  async function indexWith(options: { shortLived?: boolean }, photos: string) {
    const library = tempDir('prepack-lib');
    dirs.push(library);
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP, ...options });
    const report = await core.index([photos], { onProgress: () => {} });
    return { report, prepacked: core.getModel().visionPrepacked };
  }

  it('skips prepacking when a short-lived process indexes a few photos', async () => {
    const { report, prepacked } = await indexWith({ shortLived: true }, folder(3));
    expect(report.indexed).toBe(3);
    expect(prepacked).toBe(false);
  });

  it('keeps prepacking in a process that stays up, however few the photos', async () => {
    const { report, prepacked } = await indexWith({}, folder(3));
    expect(report.indexed).toBe(3);
    expect(prepacked).toBe(true);
  });

  it('keeps prepacking when a short-lived process has many files to look at', async () => {
    const { report, prepacked } = await indexWith({ shortLived: true }, folder(1, FEW_IMAGES_WITHOUT_PREPACKING));
    expect(report.indexed).toBe(1);
    expect(report.failed).toHaveLength(FEW_IMAGES_WITHOUT_PREPACKING);
    expect(prepacked).toBe(true);
  });
});
