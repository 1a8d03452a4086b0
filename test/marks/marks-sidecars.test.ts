import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { readMarks } from '../../app/marks/read-marks.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** The real exiftool (Debian libimage-exiftool-perl). */
function exiftool(args: string[]): string {
  return execFileSync('exiftool', args, { encoding: 'utf8' });
}
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * Ratings, flags and colour labels: read from XMP at ingest (Lightroom's, digiKam's fields), set in Shoebox,
 * written to `.xmp` sidecars read back by the real exiftool and by a fresh library; originals never change.
 */
describe('ratings, flags and labels through XMP', () => {
  const library = tempDir('marks-lib');
  const photos = tempDir('marks-photos');
  const at = (f: string) => path.join(photos, f);
  const before = new Map<string, string>();
  let core: Core;
  const marksOf = (f: string) => core.catalog.marks.of(core.catalog.photos.byPath(at(f))!.id);

  beforeAll(async () => {
    for (const f of ['sample_010.jpg', 'sample_011.jpg', 'sample_012.jpg', 'sample_013.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, f), at(f));
    // As other programs leave them: stars and a label embedded; Lightroom's reject in a sidecar of its own;
    // digiKam's pick embedded.
    exiftool(['-q', '-overwrite_original', '-XMP-xmp:Rating=4', '-XMP-xmp:Label=Blue', at('sample_010.jpg')]);
    exiftool(['-q', '-o', at('sample_011.xmp'), '-XMP-xmp:Rating=-1', '-XMP-xmp:CreatorTool=Adobe Photoshop Lightroom Classic', at('sample_011.jpg')]);
    exiftool(['-q', '-overwrite_original', '-XMP-digiKam:PickLabel=3', '-XMP-xmp:Rating=2', at('sample_012.jpg')]);
    for (const f of fs.readdirSync(photos)) before.set(f, sha(at(f)));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP, decodeThreads: 0 });
    await core.index([photos]);
  }, 60_000);
  afterAll(() => core?.close());

  it('reads stars, labels, Lightroom rejects and digiKam picks at ingest', () => {
    expect(marksOf('sample_010.jpg')).toEqual({ rating: 4, flag: null, label: 'blue' });
    expect(marksOf('sample_011.jpg')).toEqual({ rating: null, flag: 'reject', label: null });
    expect(marksOf('sample_012.jpg')).toEqual({ rating: 2, flag: 'pick', label: null });
    expect(marksOf('sample_013.jpg')).toEqual({ rating: null, flag: null, label: null });
  });

  it('filters the grid by rating, flag, label', () => {
    const names = (filters: Parameters<typeof core.catalog.browse.ids>[0]) =>
      core.catalog.browse.ids(filters).map((id) => path.basename(core.catalog.photos.byId(id)!.path)).sort();
    expect(names({ minRating: 2 })).toEqual(['sample_010.jpg', 'sample_012.jpg']);
    expect(names({ minRating: 3 })).toEqual(['sample_010.jpg']);
    expect(names({ flag: 'reject' })).toEqual(['sample_011.jpg']);
    expect(names({ flag: 'none' })).toEqual(['sample_010.jpg', 'sample_013.jpg']);
    expect(names({ label: 'blue', minRating: 1 })).toEqual(['sample_010.jpg']);
    expect(names({ label: 'none' })).toHaveLength(3);
  });

  it('rejects bad values with a clear error and names each input that is no photo', () => {
    expect(() => core.marks.rate([at('sample_013.jpg')], 6)).toThrow('a rating is a whole number of stars from 0 to 5, not "6"');
    expect(() => core.marks.label([at('sample_013.jpg')], 'orange' as never)).toThrow(/a label is one of red, yellow, green, blue, purple, none/);
    expect(core.marks.flag([at('missing.jpg')], 'pick')).toEqual({ photos: 0, failed: [{ target: at('missing.jpg'), error: 'not in the library (index its folder first)' }] });
  });

  it('writes marks to sidecars that exiftool reads back, leaves foreign sidecars and originals alone', async () => {
    expect(fs.existsSync(at('sample_013.xmp'))).toBe(false);
    const report = core.setSidecars(true)!;
    // The three Shoebox may write (sample_011's sidecar is Lightroom's).
    expect(report).toMatchObject({ written: 2, skipped: [at('sample_011.jpg')] });
    core.marks.rate([at('sample_013.jpg')], 5);
    core.marks.label([at('sample_013.jpg')], 'purple');
    core.marks.flag([at('sample_013.jpg')], 'pick');
    core.marks.flag([at('sample_010.jpg')], 'reject');
    core.marks.rate([at('sample_012.jpg')], 0);
    core.marks.flag([at('sample_011.jpg')], 'none');

    const fields = ['-XMP-xmp:Rating', '-XMP-xmp:Label', '-XMP-digiKam:PickLabel', '-XMP-xmpDM:Good', '-XMP-xmp:CreatorTool'];
    const read = JSON.parse(exiftool(['-j', '-G1', ...fields, at('sample_010.xmp'), at('sample_012.xmp'), at('sample_013.xmp')])) as Record<string, unknown>[];
    // A reject is Lightroom's rating -1 (its stars stay in the catalog) and digiKam's PickLabel 1.
    expect(read[0]).toMatchObject({ 'XMP-xmp:Rating': -1, 'XMP-xmp:Label': 'Blue', 'XMP-digiKam:PickLabel': 1, 'XMP-xmp:CreatorTool': 'Shoebox' });
    expect(read[0]).not.toHaveProperty('XMP-xmpDM:Good');
    // 0 stars: no rating written; the pick stays (digiKam's and Adobe's xmpDM:good).
    expect(read[1]).toMatchObject({ 'XMP-digiKam:PickLabel': 3, 'XMP-xmpDM:Good': true });
    expect(read[1]).not.toHaveProperty('XMP-xmp:Rating');
    expect(read[2]).toMatchObject({ 'XMP-xmp:Rating': 5, 'XMP-xmp:Label': 'Purple', 'XMP-digiKam:PickLabel': 3, 'XMP-xmpDM:Good': true });
    for (const f of ['sample_010.xmp', 'sample_013.xmp']) expect(exiftool(['-validate', '-warning', '-a', '-s', at(f)])).toMatch(/Validate\s*:\s*OK/);
    expect(await readMarks(at('sample_013.jpg'))).toEqual({ rating: 5, label: 'purple', flag: 'pick' });
    // The catalog keeps a rejected photo's stars.
    expect(marksOf('sample_010.jpg')).toEqual({ rating: 4, flag: 'reject', label: 'blue' });

    // Originals and Lightroom's sidecar are byte-identical; no temporary file is left.
    for (const [file, hash] of before) expect(sha(at(file)), file).toBe(hash);
    expect(fs.readdirSync(photos).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a fresh library reads the same marks back from the sidecars', async () => {
    const fresh = Core.open({ libraryDir: tempDir('marks-fresh'), modelDir: TINY_CLIP, decodeThreads: 0 });
    try {
      await fresh.index([photos]);
      const of = (f: string) => fresh.catalog.marks.of(fresh.catalog.photos.byPath(at(f))!.id);
      // sample_010's sidecar states the reject (rating -1): Lightroom's convention loses the stars there.
      expect(of('sample_010.jpg')).toEqual({ rating: null, flag: 'reject', label: 'blue' });
      // sample_012: the embedded 2 stars still count where our sidecar states none (0 stars is not written).
      expect(of('sample_012.jpg')).toEqual({ rating: 2, flag: 'pick', label: null });
      expect(of('sample_013.jpg')).toEqual({ rating: 5, flag: 'pick', label: 'purple' });
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it("reads a pick from Adobe's xmpDM:good alone (Bridge)", async () => {
    const bridge = tempDir('marks-bridge');
    try {
      fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_014.jpg'), path.join(bridge, 'picked.jpg'));
      exiftool(['-q', '-overwrite_original', '-XMP-xmpDM:Good=true', path.join(bridge, 'picked.jpg')]);
      exiftool(['-q', '-o', path.join(bridge, 'side.xmp'), '-XMP-xmpDM:Good=true', path.join(bridge, 'picked.jpg')]);
      fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_015.jpg'), path.join(bridge, 'side.jpg'));
      expect(await readMarks(path.join(bridge, 'picked.jpg'))).toEqual({ flag: 'pick' });
      expect(await readMarks(path.join(bridge, 'side.jpg'))).toEqual({ flag: 'pick' });
    } finally {
      fs.rmSync(bridge, { recursive: true, force: true });
    }
  });

  it('keeps the marks the photographer set when a changed file is indexed again', async () => {
    exiftool(['-q', '-overwrite_original', '-XMP-xmp:Rating=1', '-XMP-xmp:Label=Red', at('sample_013.jpg')]);
    await core.index([photos]);
    expect(marksOf('sample_013.jpg')).toEqual({ rating: 5, flag: 'pick', label: 'purple' });
  }, 60_000);
});
