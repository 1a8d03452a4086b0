import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { mediaFile } from '../../app/library/media.js';
import { readKeywords } from '../../app/tagging/xmp-read.js';
import { fromFsBytes } from '../../app/util/fs-names.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** `<dir>/<before>\xE9<after>`: a Latin-1 é, not valid UTF-8. */
const latin1 = (dir: string, before: string, after: string) => Buffer.concat([Buffer.from(path.join(dir, before)), Buffer.of(0xe9), Buffer.from(after)]);
const aliases = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('shoebox-alias-'));

/**
 * Every tool that opens a photo, for a name that is not UTF-8 (see [Note: file names that are not UTF-8] and
 * [Note: string-only tools]): sharp (bytes read through a Buffer path), ExifTool (RAW previews) and exifr
 * (keywords) through an alias, the thumbnail cache, the media route and the sidecar writer.
 */
describe('a photo whose name is not UTF-8, through every tool that opens it', () => {
  const library = tempDir('rawname-lib');
  const photos = tempDir('rawname-photos');
  const jpegBytes = latin1(photos, 'caf', '.jpg');
  const dngBytes = latin1(photos, 'IMG_', '.dng');
  const jpeg = fromFsBytes(jpegBytes);
  const dng = fromFsBytes(dngBytes);
  const plain = path.join(photos, 'plain.jpg');
  const before = aliases();
  let core: Core;

  beforeAll(async () => {
    // Keywords embedded by ExifTool under a plain name, then the file renamed to its Latin-1 name.
    const staging = path.join(photos, 'staging.jpg');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_011.jpg'), staging);
    const exiftool = new ExifTool({ maxProcs: 1 });
    try {
      await exiftool.write(staging, { Subject: ['Holiday'] }, { writeArgs: ['-overwrite_original'] });
    } finally {
      await exiftool.end();
    }
    fs.renameSync(staging, jpegBytes);
    fs.copyFileSync(path.join(FIXTURES, 'formats', 'IMG_0002.dng'), dngBytes);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), plain);
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    expect(await core.index([photos])).toMatchObject({ indexed: 3, failed: [] });
  });
  afterAll(async () => {
    await core?.close();
    for (const d of [library, photos]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('decodes a RAW file through ExifTool by its bytes (the embedded 240 × 320 preview)', async () => {
    expect(core.catalog.photos.byPath(dng)).toMatchObject({ width: 240, height: 320, format: 'jpeg', cameraMake: 'Canon' });
    const preview = await core.thumbnailFile(core.catalog.photos.byPath(dng)!.id, 'preview');
    expect(await sharp(preview).metadata()).toMatchObject({ width: 240, height: 320 });
  });

  it('imports the keywords embedded in it', () => {
    expect(core.tagsOf(jpeg).map((t) => `${t.path}/${t.source}`)).toEqual(['Holiday/user']);
  });

  it('renders thumbnails from the original again when the cache lost them', async () => {
    const id = core.catalog.photos.byPath(jpeg)!.id;
    const grid = await core.thumbnailFile(id, 'grid');
    fs.rmSync(grid);
    expect(await core.thumbnailFile(id, 'grid')).toBe(grid);
    expect((await sharp(grid).metadata()).format).toBe('jpeg');
  });

  it('serves its preview as the original (a file: URL or a string path cannot name it), and plain originals as they are', async () => {
    const id = core.catalog.photos.byPath(jpeg)!.id;
    const media = await mediaFile(core, id, 'original');
    expect(media).toEqual({ file: await core.thumbnailFile(id, 'preview'), contentType: 'image/jpeg' });
    expect(await mediaFile(core, core.catalog.photos.byPath(plain)!.id, 'original')).toEqual({ file: plain, contentType: 'image/jpeg' });
  });

  it('writes its .xmp sidecar under the photo’s own bytes, and reads it back', async () => {
    core.setTagDecision([jpeg], 'Lisbon', 'add');
    expect(core.setSidecars(true)).toMatchObject({ skipped: [] });
    const sidecar = latin1(photos, 'caf', '.xmp');
    expect(fs.readFileSync(sidecar, 'utf8')).toContain('<rdf:li>Lisbon</rdf:li>');
    expect((await readKeywords(jpeg)).map((k) => k.join('|')).sort()).toEqual(['Holiday', 'Lisbon']);
  });

  it('leaves no alias behind', () => {
    expect(aliases()).toEqual(before);
  });
});
