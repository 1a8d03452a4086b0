import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelPack } from '../../app/model/load-pack.js';
import { ClipTextEncoder } from '../../app/model/text-encoder.js';
import { ClipTokenizer } from '../../app/model/tokenizer.js';
import { FIXTURES, TINY_CLIP } from '../helpers/fixtures.js';

/**
 * Exports that declare `attention_mask` get one, matching the unpadded ids of each row of a padded batch.
 * The fixture model (see fixtures/masked-text/make-model.cjs) outputs [Σ unmasked ids, unmasked count], so a
 * missing or wrong mask shows as a wrong ratio.
 */
describe('text exports with an attention_mask input', () => {
  it('feeds input_ids and a mask that covers exactly the real tokens of each row', async () => {
    const session = await ort.InferenceSession.create(path.join(FIXTURES, 'masked-text', 'text_model.onnx'));
    const tokenizer = new ClipTokenizer(loadModelPack(TINY_CLIP).tokenizer);
    const encoder = new ClipTextEncoder(session, tokenizer, { file: 'text_model.onnx' });
    const texts = ['a beach', 'two yellow stars in the night sky'];
    const results = await encoder.embed(texts);
    for (const r of results) {
      const ids = tokenizer.encode(r.text);
      const mean = ids.reduce((a, b) => a + b, 0) / ids.length;
      // Normalization keeps the ratio of the two outputs: Σids / count is the mean id of the real tokens.
      expect(r.embedding[0]! / r.embedding[1]!).toBeCloseTo(mean, 1);
    }
    await encoder.release();
  });
});
