import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { prestartTokenizer, tokenizeInWorker } from '../../app/model/tokenize-in-worker.js';
import { ClipTokenizer } from '../../app/model/tokenizer.js';
import { runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

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

// See [Note: the tokenizer from the process's start].
describe('the tokenizer built ahead from the library folder', () => {
  const texts = ['boats on a lake at sunset', 'a red circle'];
  const spec = loadModelPack(TINY_CLIP).tokenizer;
  const here = new ClipTokenizer(spec);

  it('builds the tokenizer of the pack asked for, and tokenizes the texts sent to it later', async () => {
    expect(await (await prestartTokenizer(tempDir('tok-lib'), TINY_CLIP)).built).toBe(spec.path);
    expect(await tokenizeInWorker(spec, texts)).toEqual(texts.map((t) => here.encode(t)));
  });

  it("finds the pack the library's catalog remembers, without being told", async () => {
    const library = tempDir('tok-lib');
    const photos = tempDir('tok-photos');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'one.jpg'));
    runCliJson(['index', photos, '--library', library, '--model', TINY_CLIP, '--json']);
    expect(await (await prestartTokenizer(library, undefined)).built).toBe(spec.path);
    expect(await tokenizeInWorker(spec, texts)).toEqual(texts.map((t) => here.encode(t)));
  });

  it('builds nothing for a library with no catalog and no pack, and the texts are still tokenized', async () => {
    expect(await (await prestartTokenizer(tempDir('tok-lib'), undefined)).built).toBeUndefined();
    expect(await tokenizeInWorker(spec, texts)).toEqual(texts.map((t) => here.encode(t)));
  });

  it("drops a thread that built another pack's tokenizer", async () => {
    const other = tempDir('tok-pack');
    fs.cpSync(TINY_CLIP, other, { recursive: true });
    expect(await (await prestartTokenizer(tempDir('tok-lib'), other)).built).toBe(loadModelPack(other).tokenizer.path);
    expect(await tokenizeInWorker(spec, texts)).toEqual(texts.map((t) => here.encode(t)));
  });
});
