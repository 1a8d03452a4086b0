import fs from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import type { TokenizerSpec } from './pack-types.js';

/**
 * CLIP text tokenization from the pack's `tokenizer.json` through @huggingface/tokenizers (the tokenizer of
 * transformers.js, maintained by Hugging Face): NFC + whitespace clean-up + lower-casing, byte-level BPE with
 * `</w>`, start/end tokens from the post-processor.
 *
 * Two things the library leaves to us: OpenAI's `clip.tokenize(truncate=True)` keeps the end token when it
 * truncates to the context length (transformers.js drops it), and OpenAI strips leading/trailing whitespace.
 */
export class ClipTokenizer {
  private readonly tokenizer: Tokenizer;

  constructor(private readonly spec: TokenizerSpec) {
    const json = JSON.parse(fs.readFileSync(spec.path, 'utf8')) as Record<string, unknown>;
    const config = spec.configPath ? (JSON.parse(fs.readFileSync(spec.configPath, 'utf8')) as Record<string, unknown>) : {};
    this.tokenizer = new Tokenizer(json, config);
  }

  get padId(): number {
    return this.spec.padId;
  }

  get contextLength(): number {
    return this.spec.contextLength;
  }

  /** Token ids with start and end tokens, unpadded, at most `contextLength` long, always ending in the end token. */
  encode(text: string): number[] {
    const ids = this.tokenizer.encode(text.trim()).ids;
    const { bosId, eosId, contextLength } = this.spec;
    if (ids[0] !== bosId) ids.unshift(bosId);
    if (ids[ids.length - 1] !== eosId) ids.push(eosId);
    if (ids.length > contextLength) {
      ids.length = contextLength;
      ids[contextLength - 1] = eosId;
    }
    return ids;
  }

  /** The same ids padded to the full context length, as OpenAI's `clip.tokenize` returns them (0 padding). */
  encodePadded(text: string, padId = 0): number[] {
    const ids = this.encode(text);
    while (ids.length < this.spec.contextLength) ids.push(padId);
    return ids;
  }
}
