import path from 'node:path';
import { clipCrop } from '../image/clip-preprocess.js';
import type { DecodedPhoto } from '../image/decode.js';
import { ClipImageEncoder } from './image-encoder.js';
import type { ModelPack } from './pack-types.js';
import { openSession, type ExecutionProvider, type SessionOptions } from './providers.js';
import { ClipTextEncoder, type TextEmbedding } from './text-encoder.js';
import { tokenizeInWorker } from './tokenize-in-worker.js';
import { ClipTokenizer } from './tokenizer.js';

export interface ClipModelOptions extends SessionOptions {
  /**
   * The process embeds one text, once, and exits (the CLI's `search` and `embed-text`): the text session then
   * skips ONNX Runtime's weight prepacking, which costs more at load than it saves on a single run (measured on
   * the ViT-B/32-cost text tower, loaded 2-core machine: load 0.45–0.86 s → 0.25–0.42 s int8, 1.0–1.9 s →
   * 0.2–0.65 s fp32, against a run 5–30 ms slower). Processes that stay up keep it: every later query is faster.
   */
  singleTextQuery?: boolean;
}

/**
 * A loaded CLIP model pack. Sessions are opened lazily, once, and kept: a search opens only the text tower,
 * indexing only the vision tower, and a long-running process keeps the text encoder warm between searches.
 */
export class ClipModel {
  private vision: Promise<{ encoder: ClipImageEncoder; provider: ExecutionProvider }> | undefined;
  private text: Promise<{ encoder: ClipTextEncoder; provider: ExecutionProvider }> | undefined;
  private tokenizer: ClipTokenizer | undefined;
  /** Execution provider of each tower once its session is open (see [Note: execution provider fallback]). */
  readonly activeProviders: { vision?: ExecutionProvider; text?: ExecutionProvider } = {};

  /** The tokenizer as the text encoder sees it, built on first use (see [Note: the first query's tokens on another thread]). */
  private readonly lazyTokenizer: Pick<ClipTokenizer, 'encode' | 'padId'>;

  constructor(
    readonly pack: ModelPack,
    private readonly options: ClipModelOptions = {},
  ) {
    this.lazyTokenizer = { padId: pack.tokenizer.padId, encode: (text) => this.getTokenizer().encode(text) };
  }

  get preprocessing() {
    return this.pack.preprocessing;
  }

  getTokenizer(): ClipTokenizer {
    this.tokenizer ??= new ClipTokenizer(this.pack.tokenizer);
    return this.tokenizer;
  }

  private visionEncoder() {
    this.vision ??= openSession(this.pack.vision.path, this.options).then(({ session, provider }) => {
      this.activeProviders.vision = provider;
      return {
      encoder: new ClipImageEncoder(session, this.pack.preprocessing, { ...this.pack.vision, file: path.basename(this.pack.vision.path) }),
      provider,
      };
    });
    return this.vision;
  }

  private textEncoder() {
    const options = this.options.singleTextQuery ? { ...this.options, prepackWeights: false } : this.options;
    this.text ??= openSession(this.pack.text.path, options).then(({ session, provider }) => {
      this.activeProviders.text = provider;
      return {
      // The tokenizer is built when first needed, not with the session: see [Note: the first query's tokens on another thread].
      encoder: new ClipTextEncoder(session, this.lazyTokenizer, { ...this.pack.text, file: path.basename(this.pack.text.path) }),
      provider,
      };
    });
    return this.text;
  }

  /** Which execution provider each tower runs on (opens both sessions). */
  async providers(): Promise<{ vision: ExecutionProvider; text: ExecutionProvider }> {
    const [v, t] = await Promise.all([this.visionEncoder(), this.textEncoder()]);
    return { vision: v.provider, text: t.provider };
  }

  async embedTexts(texts: string[]): Promise<TextEmbedding[]> {
    // The model's first texts are tokenized on another thread while this one opens the text session
    // (see [Note: the first query's tokens on another thread]).
    const first = !this.text && !this.tokenizer && texts.length > 0;
    const tokenized = first ? tokenizeInWorker(this.pack.tokenizer, texts).catch(() => undefined) : undefined;
    const { encoder } = await this.textEncoder();
    const ids = (await tokenized) ?? texts.map((t) => this.lazyTokenizer.encode(t));
    return encoder.embedIds(texts, ids);
  }

  async embedText(text: string): Promise<TextEmbedding> {
    return (await this.embedTexts([text]))[0]!;
  }

  /** Cuts the model's crop from an already decoded photo (see [Note: decode once]). */
  cropFor(photo: DecodedPhoto): Promise<Buffer> {
    return clipCrop(photo, this.pack.preprocessing);
  }

  /**
   * Starts opening the vision session without waiting for it (a failure surfaces on the next embedCrops).
   * ONNX Runtime builds a session on the calling thread, holding it for the whole load (1–2 s for ViT-B/32):
   * the indexer calls this once the first photo is on its way to the decoding threads, which then start up
   * and decode meanwhile instead of after it.
   */
  prepareVision(): void {
    this.visionEncoder().catch(() => {});
  }

  async embedCrops(crops: Buffer[]): Promise<Float32Array[]> {
    return (await this.visionEncoder()).encoder.embedCrops(crops);
  }

  /** Shortest side the decoder should produce for this model: twice the crop (see [Note: decode once]). */
  get workingShortSide(): number {
    return Math.max(2 * this.pack.preprocessing.cropSize, this.pack.preprocessing.resizeShortestEdge);
  }

  async embeddingDim(): Promise<number> {
    if (this.pack.embeddingDim) return this.pack.embeddingDim;
    const [v] = await this.embedTexts(['a photo']);
    return v!.embedding.length;
  }

  async release(): Promise<void> {
    const parts = await Promise.allSettled([this.vision, this.text]);
    for (const p of parts) if (p.status === 'fulfilled' && p.value) await p.value.encoder.release();
    this.vision = undefined;
    this.text = undefined;
  }
}
