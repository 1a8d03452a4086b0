import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '../../app/image/decode.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { cosine } from '../../app/util/vector.js';
import { loadReference, realPhotoPath, REFERENCE_DIR, TEST_PHOTOS_DIR } from '../helpers/fixtures.js';

const model = new ClipModel(loadModelPack(path.dirname(REFERENCE_DIR)));
const reference = loadReference();

async function cropOf(file: string): Promise<Buffer> {
  const decoded = await decodePhoto(fs.readFileSync(file), model.decodeSizes);
  return model.cropFor(decoded);
}

async function meanAbsDiff(crop: Buffer, png: string): Promise<number> {
  const expected = await sharp(png).removeAlpha().raw().toBuffer();
  expect(crop.length).toBe(expected.length);
  let sum = 0;
  for (let i = 0; i < crop.length; i++) sum += Math.abs(crop[i]! - expected[i]!);
  return sum / crop.length;
}

/** Our policy flattens alpha on white; the reference gives that crop and embedding beside the alpha-dropped one. */
function expectedPixels(image: { pixels_png: string; pixels_png_alpha_on_white?: string }): string {
  return path.join(REFERENCE_DIR, image.pixels_png_alpha_on_white ?? image.pixels_png);
}

describe('CLIP image preprocessing and encoder (sharp + real ONNX Runtime)', () => {
  afterAll(() => model.release());

  it('crops within 4 grey levels of the PIL reference for every reference image', async () => {
    const diffs: string[] = [];
    for (const image of reference.images) {
      const mad = await meanAbsDiff(await cropOf(path.join(REFERENCE_DIR, image.file)), expectedPixels(image));
      diffs.push(`${image.file}=${mad.toFixed(2)}`);
      expect(mad, image.file).toBeLessThanOrEqual(4);
    }
    console.log(`crop mean abs diff: ${diffs.join(' ')}`);
  });

  it('crops the real photographs within 4 grey levels (an unantialiased resize would not)', async () => {
    // Present after scripts/fetch-test-photos.sh, which .ci/run runs; see test/helpers/fixtures.ts.
    expect(fs.existsSync(TEST_PHOTOS_DIR), `missing ${TEST_PHOTOS_DIR}: run scripts/fetch-test-photos.sh`).toBe(true);
    for (const item of reference.pixel_reference.real_photos) {
      const mad = await meanAbsDiff(await cropOf(realPhotoPath(item.photo)), path.join(REFERENCE_DIR, item.pixels_png));
      console.log(`crop mean abs diff ${path.basename(item.photo)}: ${mad.toFixed(2)}`);
      expect(mad, item.photo).toBeLessThanOrEqual(4);
    }
  });

  it('matches the reference embeddings (cosine ≥ 0.995), EXIF-rotated and alpha-on-white included', async () => {
    const crops = await Promise.all(reference.images.map((image) => cropOf(path.join(REFERENCE_DIR, image.file))));
    const embeddings = await model.embedCrops(crops);
    const scores = reference.images.map((image, i) => {
      const expected = image.image_embeds_alpha_on_white_normalized ?? image.image_embeds_alpha_on_white ?? image.image_embeds_normalized;
      return { file: image.file, cos: cosine(embeddings[i]!, Float32Array.from(expected)) };
    });
    console.log(`image embeddings: ${scores.map((s) => `${s.file}=${s.cos.toFixed(4)}`).join(' ')}`);
    for (const s of scores) expect(s.cos, s.file).toBeGreaterThanOrEqual(0.995);
    expect(scores.some((s) => s.file.includes('exif6'))).toBe(true);
    expect(scores.some((s) => s.file.includes('alpha'))).toBe(true);
  });

  it('gives the same embedding in a batch as alone', async () => {
    const files = reference.images.slice(0, 3).map((i) => path.join(REFERENCE_DIR, i.file));
    const crops = await Promise.all(files.map(cropOf));
    const batch = await model.embedCrops(crops);
    const single = await model.embedCrops([crops[1]!]);
    expect(cosine(batch[1]!, single[0]!)).toBeGreaterThan(0.99999);
  });
});
