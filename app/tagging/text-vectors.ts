import { createHash } from 'node:crypto';
import type { ModelRecord } from '../catalog/embeddings.js';
import type { TagStore } from '../catalog/tags.js';
import type { ClipModel } from '../model/clip-model.js';
import { l2Normalize } from '../util/vector.js';

export interface PromptedTag {
  id: number;
  prompts: readonly string[];
}

export function promptsHash(prompts: readonly string[]): string {
  return createHash('sha256').update(prompts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * Prompt ensembling: a tag's vector is the normalised mean of its prompts' normalised text vectors. Vectors
 * are cached per (tag, model) with the hash of the prompts they came from, so re-tagging the library does not
 * run the text tower again unless the prompts or the model changed.
 */
export async function tagVectors(
  tags: readonly PromptedTag[],
  model: ClipModel,
  record: ModelRecord,
  store: TagStore,
  onProgress?: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  const out: (Float32Array | undefined)[] = tags.map((t) => store.vector(t.id, record.id, promptsHash(t.prompts)));
  const missing = tags.filter((_, i) => !out[i]);
  if (missing.length > 0) {
    const texts = [...new Set(missing.flatMap((t) => t.prompts))];
    const embedded = new Map<string, Float32Array>();
    // Batches keep the text session's memory flat for a large vocabulary.
    onProgress?.(0, texts.length);
    for (let i = 0; i < texts.length; i += 64) {
      const batch = texts.slice(i, i + 64);
      const vectors = await model.embedTexts(batch);
      batch.forEach((text, k) => embedded.set(text, vectors[k]!.embedding));
      onProgress?.(i + batch.length, texts.length);
    }
    tags.forEach((t, i) => {
      if (out[i]) return;
      const mean = new Float32Array(record.dim);
      for (const prompt of t.prompts) {
        const v = embedded.get(prompt)!;
        for (let d = 0; d < mean.length; d++) mean[d]! += v[d]!;
      }
      const vector = l2Normalize(mean);
      store.putVector(t.id, record.id, promptsHash(t.prompts), vector);
      out[i] = vector;
    });
  }
  return out as Float32Array[];
}
