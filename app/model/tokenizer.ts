import fs from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import type { TokenizerSpec } from './pack-types.js';
import { digestFits, readTokenizerDigest, tokenizerJsonFor, writeTokenizerDigest } from './tokenizer-digest.js';

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
  /** The only texts this tokenizer may encode, when it was built for them (see ClipTokenizer.forTexts). */
  private readonly only: ReadonlySet<string> | undefined;

  /**
   * The pack's whole tokenizer (which also writes the digest forTexts reads, once per tokenizer file); with
   * `only`, the reduced tokenizer.json forTexts made and the texts it is good for.
   */
  constructor(
    private readonly spec: TokenizerSpec,
    only?: { json: Record<string, unknown>; texts: readonly string[] },
  ) {
    let json = only?.json;
    if (!json) {
      json = JSON.parse(fs.readFileSync(spec.path, 'utf8')) as Record<string, unknown>;
      writeTokenizerDigest(spec.path, json);
    }
    const config = spec.configPath ? (JSON.parse(fs.readFileSync(spec.configPath, 'utf8')) as Record<string, unknown>) : {};
    this.tokenizer = new Tokenizer(json, config);
    this.only = only && new Set(only.texts);
  }

  /**
   * A tokenizer that can encode `texts` and nothing else, built in milliseconds from the pack's digest where that
   * is exact ([Note: a tokenizer for the texts at hand]); the whole tokenizer otherwise.
   */
  static forTexts(spec: TokenizerSpec, texts: readonly string[]): ClipTokenizer {
    const tables = digestFits(texts) ? readTokenizerDigest(spec.path) : undefined;
    return new ClipTokenizer(spec, tables && { json: tokenizerJsonFor(tables, texts), texts });
  }

  /** Whether encode() takes each of these texts. */
  covers(texts: readonly string[]): boolean {
    return !this.only || texts.every((t) => this.only!.has(t));
  }

  get padId(): number {
    return this.spec.padId;
  }

  get contextLength(): number {
    return this.spec.contextLength;
  }

  /** Token ids with start and end tokens, unpadded, at most `contextLength` long, always ending in the end token. */
  encode(text: string): number[] {
    if (this.only && !this.only.has(text)) throw new Error(`this tokenizer was built for other texts than "${text}"`);
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
