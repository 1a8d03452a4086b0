import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { signatureView, type SignatureView } from '../../app/duplicates/signature-view.js';
import { verifyPair } from '../../app/duplicates/verify-pair.js';
import { analyzeImage } from '../../app/indexer/analyze-photo.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { analysisSpec } from '../../app/indexer/analyze-photo.js';
import { FIXTURES, TINY_CLIP } from '../helpers/fixtures.js';

const DIR = path.join(FIXTURES, 'lookalikes');
const spec = analysisSpec(new ClipModel(loadModelPack(TINY_CLIP)));

/** The signature the indexer stores for these bytes, as the duplicate finder reads it back. */
async function viewOf(bytes: Buffer): Promise<SignatureView> {
  const analysis = await analyzeImage(bytes, spec);
  return signatureView(analysis.signature, analysis.width, analysis.height)!;
}

const read = (name: string) => fs.readFileSync(path.join(DIR, `${name}.jpg`));

/** A 90 % centre crop, re-encoded: a copy the verifier must keep calling near. */
async function cropped(bytes: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const [w, h] = [Math.round(width * 0.9), Math.round(height * 0.9)];
  return sharp(bytes).extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h }).jpeg({ quality: 85 }).toBuffer();
}

describe('look-alike photos of tiny-clip-dev are not near copies (real decoding, the indexer\'s signatures)', () => {
  it.each([
    ['dev_0051', 'dev_0210', 'two sunsets with a pink shape, landscape and portrait: they overlap on half a frame'],
    ['dev_0273', 'dev_0177', 'two snowfields: a crop-sized alignment of one composition'],
  ])('%s and %s (%s)', async (a, b) => {
    const verdict = verifyPair(await viewOf(read(a)), await viewOf(read(b)));
    expect(verdict.kind).not.toBe('near');
  });

  it.each(['dev_0051', 'dev_0210', 'dev_0273', 'dev_0177'])('a 90 %% crop of %s is still its near copy', async (name) => {
    const bytes = read(name);
    expect(verifyPair(await viewOf(bytes), await viewOf(await cropped(bytes))).kind).toBe('near');
  });
});
