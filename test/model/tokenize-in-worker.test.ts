import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { tokenizeInWorker } from '../../app/model/tokenize-in-worker.js';
import { ClipTokenizer } from '../../app/model/tokenizer.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

// See [Note: the first query's tokens on another thread].
describe("the first query's tokens on another thread", () => {
  const texts = ['boats on a lake at sunset', '  A Red CIRCLE  ', 'café crème', 'x'.repeat(400)];

  it('gives the ids the tokenizer gives on this thread', async () => {
    const spec = loadModelPack(TINY_CLIP).tokenizer;
    const here = new ClipTokenizer(spec);
    expect(await tokenizeInWorker(spec, texts)).toEqual(texts.map((t) => here.encode(t)));
  });

  it('leaves the embeddings as they were: the first call (other thread) equals a later one (this thread)', async () => {
    const model = new ClipModel(loadModelPack(TINY_CLIP));
    try {
      const first = await model.embedTexts(texts);
      const again = await model.embedTexts(texts);
      expect(first.map((e) => e.ids)).toEqual(again.map((e) => e.ids));
      expect(first.map((e) => Array.from(e.embedding))).toEqual(again.map((e) => Array.from(e.embedding)));
    } finally {
      await model.release();
    }
  });
});
