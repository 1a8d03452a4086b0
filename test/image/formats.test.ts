import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const SUNSET = path.join(SAMPLES_DIR, 'sample_093.jpg'); // a sunset over the beach
/** sample_093.jpg encoded by libheif's heif-enc (x265, q60): a real HEVC-coded HEIC, 2.5 kB. */
const HEIC = path.join(FIXTURES, 'formats', 'sunset.heic');

describe('every format photographers shoot (real encoders, real decoders)', () => {
  const library = tempDir('formats-lib');
  const photos = tempDir('formats-photos');
  let core: Core;

  beforeAll(async () => {
    fs.copyFileSync(SUNSET, path.join(photos, 'sunset.jpg'));
    fs.copyFileSync(HEIC, path.join(photos, 'IMG_0001.HEIC'));
    const image = () => sharp(SUNSET);
    await image().png().toFile(path.join(photos, 'sunset.png'));
    await image().webp().toFile(path.join(photos, 'sunset.webp'));
    await image().avif().toFile(path.join(photos, 'sunset.avif'));
    await image().tiff().toFile(path.join(photos, 'sunset.tif'));
    // An animated GIF whose first frame is the sunset and second another scene: the first frame is the photo.
    await sharp([SUNSET, path.join(SAMPLES_DIR, 'sample_000.jpg')], { join: { animated: true } }).gif().toFile(path.join(photos, 'sunset.gif'));
    // Not photos: skipped quietly, never reported as errors.
    fs.writeFileSync(path.join(photos, 'clip.mov'), 'not indexed');
    fs.writeFileSync(path.join(photos, 'layers.psd'), 'not indexed');
    fs.writeFileSync(path.join(photos, 'IMG_0001.xmp'), '<x:xmpmeta/>');
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
  });
  afterAll(async () => {
    await core.close();
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('indexes JPEG, PNG, WebP, AVIF, TIFF, GIF and HEIC, and skips other files quietly', async () => {
    const report = await core.index([photos]);
    expect(report.failed).toEqual([]);
    expect(report.indexed).toBe(7);
    const formats = Object.fromEntries([...core.catalog.photos.all()].map((p) => [path.basename(p.path), p.format]));
    expect(formats).toEqual({
      'sunset.jpg': 'jpeg',
      'sunset.png': 'png',
      'sunset.webp': 'webp',
      'sunset.avif': 'heif',
      'sunset.tif': 'tiff',
      'sunset.gif': 'gif',
      'IMG_0001.HEIC': 'heif',
    });
  });

  it('decodes each to the same picture: every copy is the JPEG’s nearest neighbour', async () => {
    const near = await core.similar(path.join(photos, 'sunset.jpg'), { all: true, limit: 10 });
    for (const r of near) {
      expect(r.score, path.basename(r.path)).toBeGreaterThan(0.95);
    }
    expect(near.map((r) => path.basename(r.path)).sort()).toEqual(['IMG_0001.HEIC', 'sunset.avif', 'sunset.gif', 'sunset.png', 'sunset.tif', 'sunset.webp']);
    const heic = core.catalog.photos.byPath(path.join(photos, 'IMG_0001.HEIC'))!;
    expect([heic.width, heic.height]).toEqual([240, 320]);
    const gif = core.catalog.photos.byPath(path.join(photos, 'sunset.gif'))!;
    expect(gif.height).toBeLessThan(400); // one frame, not the two stacked
  });

  it('makes thumbnails of a HEIC photo', async () => {
    const heic = core.catalog.photos.byPath(path.join(photos, 'IMG_0001.HEIC'))!;
    expect(core.placeholder(heic.id)).not.toBeNull();
    const preview = await core.thumbnailFile(heic.id, 'preview');
    expect(await sharp(preview).metadata()).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
  });
});
