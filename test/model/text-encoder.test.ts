import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { cosine, l2Normalize } from '../../app/util/vector.js';
import { loadReference, TINY_CLIP } from '../helpers/fixtures.js';

describe('CLIP text encoder (tiny-clip, real ONNX Runtime)', () => {
  const pack = loadModelPack(TINY_CLIP);
  const model = new ClipModel(pack);
  const reference = loadReference();
  afterAll(() => model.release());

  it('matches the torch reference embeddings for every reference text (cosine ≥ 0.999)', async () => {
    const results = await model.embedTexts(reference.texts.map((t) => t.text));
    const worst = Math.min(...results.map((r, i) => cosine(r.embedding, Float32Array.from(reference.texts[i]!.text_embeds_normalized))));
    console.log(`text embeddings: worst cosine to reference ${worst.toFixed(6)} over ${results.length} texts`);
    expect(worst).toBeGreaterThanOrEqual(0.999);
  });

  it('gives the same embedding one at a time as in a padded batch', async () => {
    const texts = ['a beach', 'two yellow stars in the night sky', 'snow'];
    const batch = await model.embedTexts(texts);
    for (const [i, text] of texts.entries()) {
      const single = await model.embedText(text);
      expect(cosine(single.embedding, batch[i]!.embedding)).toBeGreaterThan(0.99999);
    }
  });

  it('feeds the query unpadded ([1, n]) and gets the 77-token embedding', async () => {
    // Run the raw session both ways to prove the shorter input is what we send and that it is equivalent.
    const session = await ort.InferenceSession.create(pack.text.path);
    const ids = model.getTokenizer().encode('a red circle in the snow');
    const run = async (seq: number[]) => {
      const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(seq.map(BigInt)), [1, seq.length]) });
      return l2Normalize(out['text_embeds']!.data as Float32Array);
    };
    const padded = await run(model.getTokenizer().encodePadded('a red circle in the snow', 0));
    const unpadded = await run(ids);
    const ours = (await model.embedText('a red circle in the snow')).embedding;
    await session.release();
    expect(ids.length).toBeLessThan(77);
    expect(cosine(padded, unpadded)).toBeGreaterThan(0.99999);
    expect(cosine(ours, unpadded)).toBeGreaterThan(0.99999);
  });
});
