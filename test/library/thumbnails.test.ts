import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { gridFromWorkingImage, gridSize, thumbnailPath } from '../../app/image/thumbnails.js';
import { thumbsDir } from '../../app/library-paths.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/**
 * A 1200 × 1600 portrait photo, red on top and blue below, stored as a camera does when held upright:
 * pixels sideways (1600 × 1200) plus EXIF orientation 6 ("rotate 90° clockwise to view").
 */
async function sidewaysPortrait(): Promise<Buffer> {
  const half = { width: 1200, height: 800, channels: 3 as const };
  const red = await sharp({ create: { ...half, background: { r: 220, g: 20, b: 20 } } }).png().toBuffer();
  const blue = await sharp({ create: { ...half, background: { r: 20, g: 20, b: 220 } } }).png().toBuffer();
  const upright = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([
      { input: red, top: 0, left: 0 },
      { input: blue, top: 800, left: 0 },
    ])
    .png()
    .toBuffer();
  return sharp(upright).rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** Mean colour of a horizontal band of an image file: [r, g, b]. */
async function bandColour(file: string, where: 'top' | 'bottom'): Promise<number[]> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rows = Math.floor(info.height / 4);
  const start = where === 'top' ? 0 : info.height - rows;
  const sum = [0, 0, 0];
  for (let y = start; y < start + rows; y++) for (let x = 0; x < info.width; x++) for (let c = 0; c < 3; c++) sum[c]! += data[(y * info.width + x) * 3 + c]!;
  return sum.map((s) => s / (rows * info.width));
}

describe('grid thumbnail size (224 px on the short side)', () => {
  it('takes the short side to 224, never enlarges, and caps a panorama at four times that', () => {
    expect(gridSize(2560, 1600)).toEqual([358, 224]);
    expect(gridSize(1600, 2560)).toEqual([224, 358]);
    expect(gridSize(160, 120)).toEqual([160, 120]);
    expect(gridSize(8000, 1000)).toEqual([896, 112]);
  });

  it('uses a working image already at the grid size as it is, and resizes any other', async () => {
    const image = (width: number, height: number) => ({ pixels: Buffer.alloc(width * height * 3, 128), width, height });
    const atSize = image(358, 224);
    const same = await gridFromWorkingImage(atSize);
    expect(same.image.pixels).toBe(atSize.pixels);
    expect(await sharp(same.jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 358, height: 224 });
    const larger = await gridFromWorkingImage(image(537, 336)); // a pack whose resize edge is 336
    expect([larger.image.width, larger.image.height]).toEqual([358, 224]);
    expect(await sharp(larger.jpeg).metadata()).toMatchObject({ width: 358, height: 224 });
  });
});

describe('thumbnails and placeholders (real files, real sharp, real SQLite)', () => {
  let library: string;
  let photos: string;
  let core: Core;
  let portrait: string;

  beforeEach(async () => {
    library = tempDir('thumb-lib');
    photos = tempDir('thumb-photos');
    portrait = path.join(photos, 'portrait.jpg');
    fs.writeFileSync(portrait, await sidewaysPortrait());
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'sample_000.jpg'));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
  });
  afterEach(async () => {
    await core.close();
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('writes an upright grid thumbnail named by content hash, and a placeholder, during indexing', async () => {
    expect(await core.index([photos])).toMatchObject({ indexed: 2, failed: [] });
    const photo = core.catalog.photos.byPath(portrait)!;
    const expected = thumbnailPath(thumbsDir(library), photo.contentHash, 'grid');
    expect(fs.existsSync(expected)).toBe(true); // written by the index run, not by the request below
    expect(await core.thumbnailFile(photo.id, 'grid')).toBe(expected);
    const meta = await sharp(expected).metadata();
    // 224 px on the short side, the model's resize (1200 × 1600 upright: 224 × floor(224 · 4 / 3)).
    expect(meta).toMatchObject({ format: 'jpeg', width: 224, height: 298 });
    const [top, bottom] = [await bandColour(expected, 'top'), await bandColour(expected, 'bottom')];
    expect(top[0]).toBeGreaterThan(150); // red on top: the orientation was applied
    expect(bottom[2]).toBeGreaterThan(150);

    const placeholder = core.placeholder(photo.id)!;
    expect(placeholder.thumbhash.byteLength).toBeLessThan(40);
    expect(placeholder.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(thumbHashToApproximateAspectRatio(placeholder.thumbhash)).toBeCloseTo(0.75, 1);
  });

  it('renders the preview once on first request, upright, at most 1600 px', async () => {
    await core.index([photos]);
    const photo = core.catalog.photos.byPath(portrait)!;
    const [a, b] = await Promise.all([core.thumbnailFile(photo.id, 'preview'), core.thumbnailFile(photo.id, 'preview')]);
    expect(a).toBe(b);
    expect(await sharp(a).metadata()).toMatchObject({ format: 'jpeg', width: 1200, height: 1600 });
    expect((await bandColour(a, 'top'))[0]).toBeGreaterThan(150);
    const written = fs.statSync(a).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await core.thumbnailFile(photo.id, 'preview');
    expect(fs.statSync(a).mtimeMs).toBe(written); // generated once
  });

  it('keeps thumbnails across a rename, and still serves them while the original is gone', async () => {
    await core.index([photos]);
    const before = core.catalog.photos.byPath(portrait)!;
    const grid = await core.thumbnailFile(before.id, 'grid');
    const written = fs.statSync(grid).mtimeMs;
    const renamed = path.join(photos, 'renamed portrait.jpg');
    fs.renameSync(portrait, renamed);
    await core.index([photos]);
    const after = core.catalog.photos.byPath(renamed)!;
    expect(after.id).toBe(before.id);
    expect(await core.thumbnailFile(after.id, 'grid')).toBe(grid);
    expect(fs.statSync(grid).mtimeMs).toBe(written);

    // Original unavailable (drive unplugged): the cached grid thumbnail is served, a preview cannot be made.
    fs.renameSync(photos, `${photos}-away`);
    try {
      expect(await core.thumbnailFile(after.id, 'grid')).toBe(grid);
      await expect(core.thumbnailFile(after.id, 'preview')).rejects.toThrow(/unavailable/);
    } finally {
      fs.renameSync(`${photos}-away`, photos);
    }
    await expect(core.thumbnailFile(9999, 'grid')).rejects.toThrow(/no photo with id 9999/);
  });

  it('generates the grid thumbnail and placeholder on demand for a photo indexed before thumbnails existed', async () => {
    await core.index([photos]);
    const photo = core.catalog.photos.byPath(portrait)!;
    // The state of a catalog migrated from before thumbnails: no cache files, no placeholder.
    fs.rmSync(thumbsDir(library), { recursive: true });
    core.catalog.db.prepare('UPDATE photos SET thumbhash = NULL').run();
    expect(core.placeholder(photo.id)).toBeNull();
    const grid = await core.thumbnailFile(photo.id, 'grid');
    // The same size as at ingest, rendered from the original this time.
    expect(await sharp(grid).metadata()).toMatchObject({ width: 224, height: 298 });
    expect((await bandColour(grid, 'top'))[0]).toBeGreaterThan(150);
    expect(core.placeholder(photo.id)).not.toBeNull();
  });
});
