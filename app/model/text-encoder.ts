import * as ort from 'onnxruntime-node';
import { rowsNormalized } from '../util/vector.js';
import { fixedDim, pickEmbeddingOutput, pickInput, sessionIo } from './onnx-io.js';
import type { ClipTokenizer } from './tokenizer.js';

export interface TextEmbedding {
  text: string;
  ids: number[];
  embedding: Float32Array;
}

/**
 * CLIP text tower. Feeds only the inputs the export declares (`input_ids`, plus `attention_mask` when it has
 * one). Sequences are sent unpadded ([batch, longest]) when the sequence dimension is symbolic, as in the
 * Hugging Face exports: CLIP pools at the first end token, so the embedding is the same and a short query
 * costs a third of the 77-token run. An export with a fixed 77 gets padded ids.
 */
export class ClipTextEncoder {
  private readonly inputIds: string;
  private readonly attentionMask: string | undefined;
  private readonly output: string;
  private readonly fixedLength: number | undefined;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Pick<ClipTokenizer, 'encode' | 'padId'>,
    declared: { input?: string; output?: string; file: string },
  ) {
    const io = sessionIo(session);
    this.inputIds = pickInput(io, declared.input, 'input_ids', declared.file);
    this.attentionMask = io.inputs.has('attention_mask') ? 'attention_mask' : undefined;
    for (const name of io.inputs.keys()) {
      if (name !== this.inputIds && name !== this.attentionMask) throw new Error(`${declared.file} needs an input we cannot provide: ${name}`);
    }
    this.output = pickEmbeddingOutput(io, declared.output, 'text_embeds', declared.file);
    this.fixedLength = fixedDim(io.inputs.get(this.inputIds), 1);
  }

  /** CLIP pools at the first end token, so padding with the pack's pad token leaves the embedding unchanged. */
  private get padId(): number {
    return this.tokenizer.padId;
  }

  async embed(texts: string[]): Promise<TextEmbedding[]> {
    return this.embedIds(texts, texts.map((t) => this.tokenizer.encode(t)));
  }

  /** `embed` for texts already tokenized (`idLists[i]` = the tokenizer's `encode(texts[i])`). */
  async embedIds(texts: string[], idLists: number[][]): Promise<TextEmbedding[]> {
    if (texts.length === 0) return [];
    const length = this.fixedLength ?? Math.max(...idLists.map((ids) => ids.length));
    const ids = new BigInt64Array(texts.length * length);
    const mask = new BigInt64Array(texts.length * length);
    idLists.forEach((list, row) => {
      for (let i = 0; i < length; i++) {
        ids[row * length + i] = BigInt(i < list.length ? list[i]! : this.padId);
        mask[row * length + i] = i < list.length ? 1n : 0n;
      }
    });
    const feeds: Record<string, ort.Tensor> = { [this.inputIds]: new ort.Tensor('int64', ids, [texts.length, length]) };
    if (this.attentionMask) feeds[this.attentionMask] = new ort.Tensor('int64', mask, [texts.length, length]);
    const result = await this.session.run(feeds, [this.output]);
    const out = result[this.output]!;
    const dim = out.dims[1]!;
    const vectors = rowsNormalized(out.data as Float32Array, texts.length, dim);
    return texts.map((text, i) => ({ text, ids: idLists[i]!, embedding: vectors[i]! }));
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
