import fs from 'node:fs';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/**
 * A DNG (Make Canon) whose main image is a 60 × 80 strip and whose embedded PreviewImage is sample_093.jpg
 * (240 × 320, a sunset), written with ExifTool 13. Decoding the preview, not the strip, gives 240 × 320.
 */
const DNG = path.join(FIXTURES, 'formats', 'IMG_0002.dng');
const SUNSET = path.join(SAMPLES_DIR, 'sample_093.jpg');

describe('camera RAW through its embedded preview, and RAW+JPEG pairs', () => {
  let library: string;
  let photos: string;
  let core: Core;

  beforeEach(() => {
    library = tempDir('raw-lib');
    photos = tempDir('raw-photos');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'other.jpg'));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
  });
  afterEach(async () => {
    await core.close();
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(photos, { recursive: true, force: true });
  });

  it('indexes a RAW file from its embedded JPEG preview, with the RAW’s metadata and thumbnails', async () => {
    fs.copyFileSync(DNG, path.join(photos, 'IMG_0002.DNG'));
    fs.writeFileSync(path.join(photos, 'IMG_0003.NEF'), 'not really a RAW file');
    const report = await core.index([photos]);
    expect(report.indexed).toBe(2);
    expect(report.failed).toEqual([{ path: path.join(photos, 'IMG_0003.NEF'), stage: 'decode', error: expect.stringMatching(/RAW file without a readable embedded preview/) }]);
    const raw = core.catalog.photos.byPath(path.join(photos, 'IMG_0002.DNG'))!;
    expect(raw).toMatchObject({ width: 240, height: 320, format: 'jpeg', cameraMake: 'Canon' });
    const [near] = await core.search('a sunset', { limit: 1 });
    expect(near?.path).toBe(raw.path);
    const preview = await core.thumbnailFile(raw.id, 'preview');
    expect(await sharp(preview).metadata()).toMatchObject({ width: 240, height: 320 });
  });

  it('turns a RAW’s preview the way the RAW says (a portrait shot stays upright)', async () => {
    const file = path.join(photos, 'IMG_0004.DNG');
    fs.copyFileSync(DNG, file);
    // Orientation 6 (rotate 90° clockwise) in the RAW's own IFD0, as a camera held upright writes it.
    const exiftool = new ExifTool({ maxProcs: 1 });
    try {
      await exiftool.write(file, { Orientation: 6 }, { writeArgs: ['-overwrite_original', '-n'] });
    } finally {
      await exiftool.end();
    }
    expect(await core.index([photos])).toMatchObject({ indexed: 2, failed: [] });
    const raw = core.catalog.photos.byPath(file)!;
    expect(raw).toMatchObject({ width: 320, height: 240 });
    const grid = await sharp(await core.thumbnailFile(raw.id, 'grid')).metadata();
    expect(grid.width).toBeGreaterThan(grid.height!);
    const preview = await core.thumbnailFile(raw.id, 'preview');
    expect(await sharp(preview).metadata()).toMatchObject({ width: 320, height: 240 });
  });

  it('joins a RAW indexed alone to its JPEG when the JPEG arrives, keeping the user’s rating and tags', async () => {
    const rawPath = path.join(photos, 'IMG_0002.dng');
    fs.copyFileSync(DNG, rawPath);
    expect(await core.index([photos])).toMatchObject({ indexed: 2, failed: [] });
    const alone = core.catalog.photos.byPath(rawPath)!;
    core.catalog.photos.setRating(alone.id, 4);
    core.setTagDecision([rawPath], 'Golden hour', 'add');

    fs.copyFileSync(SUNSET, path.join(photos, 'IMG_0002.JPG'));
    expect(await core.index([photos])).toMatchObject({ indexed: 1, failed: [] });
    expect(core.catalog.photos.count()).toBe(2); // other.jpg and the pair: the RAW's own row is gone
    expect(core.catalog.photos.byPath(rawPath)).toBeUndefined();
    const photo = core.catalog.photos.byPath(path.join(photos, 'IMG_0002.JPG'))!;
    expect(core.photoFiles(photo.id).map((f) => f.role)).toEqual(['main', 'raw']);
    expect(photo.rating).toBe(4);
    expect(core.tagsOf(photo.path)).toContainEqual(expect.objectContaining({ name: 'Golden hour', source: 'user' }));
    expect(await core.index([photos])).toMatchObject({ indexed: 0, unchanged: 2, failed: [] });
  });

  it('makes a RAW and a JPEG of the same shot one photo with two files', async () => {
    fs.copyFileSync(DNG, path.join(photos, 'IMG_0002.dng'));
    fs.copyFileSync(SUNSET, path.join(photos, 'IMG_0002.JPG'));
    expect(await core.index([photos])).toMatchObject({ indexed: 2, failed: [] }); // other.jpg + the pair
    expect(core.catalog.photos.count()).toBe(2);
    const photo = core.catalog.photos.byPath(path.join(photos, 'IMG_0002.JPG'))!;
    expect(core.photoFiles(photo.id)).toEqual([
      { path: path.join(photos, 'IMG_0002.JPG'), role: 'main' },
      { path: path.join(photos, 'IMG_0002.dng'), role: 'raw' },
    ]);
    expect(await core.index([photos])).toMatchObject({ indexed: 0, unchanged: 2, failed: [] });

    // The RAW is deleted (kept only the JPEG): the photo stays, with one file.
    fs.rmSync(path.join(photos, 'IMG_0002.dng'));
    await core.index([photos]);
    expect(core.photoFiles(photo.id)).toEqual([{ path: path.join(photos, 'IMG_0002.JPG'), role: 'main' }]);
  });

  it('indexes the RAW on its own when the JPEG beside it is broken', async () => {
    fs.copyFileSync(DNG, path.join(photos, 'IMG_0002.dng'));
    fs.writeFileSync(path.join(photos, 'IMG_0002.jpg'), 'broken');
    const report = await core.index([photos]);
    expect(report.indexed).toBe(2);
    expect(report.failed.map((f) => path.basename(f.path))).toEqual(['IMG_0002.jpg']);
    expect(core.catalog.photos.byPath(path.join(photos, 'IMG_0002.dng'))).toBeDefined();
  });
});
