import { describe, expect, it } from 'vitest';
import { loadModelPack } from '../../app/model/load-pack.js';
import { ClipTokenizer } from '../../app/model/tokenizer.js';
import { loadReference, TINY_CLIP } from '../helpers/fixtures.js';

describe('CLIP tokenizer', () => {
  const tokenizer = new ClipTokenizer(loadModelPack(TINY_CLIP).tokenizer);
  const reference = loadReference();

  it.each(reference.texts.map((t) => [t.kind, t] as const))('matches OpenAI ids for %s', (_kind, t) => {
    expect(tokenizer.encodePadded(t.text, 0)).toEqual(t.input_ids);
    expect(tokenizer.encode(t.text)).toHaveLength(t.num_tokens);
  });

  it('keeps the end token when it truncates to the context length', () => {
    const ids = tokenizer.encode('a red circle '.repeat(60));
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(49406);
    expect(ids[76]).toBe(49407);
  });
});
