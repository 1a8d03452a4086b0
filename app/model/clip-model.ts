import path from 'node:path';
import { clipCrop, KERNEL } from '../image/clip-preprocess.js';
import type { DecodeOptions, DecodedPhoto } from '../image/decode.js';
import type { ModelPack } from './pack-types.js';
import { openSession, type ExecutionProvider, type SessionOptions } from './providers.js';
import { ClipTextEncoder, type TextEmbedding } from './text-encoder.js';
import { tokenizeInWorker } from './tokenize-in-worker.js';
import { VisionThread } from './vision-thread.js';
import { ClipTokenizer } from './tokenizer.js';

export interface ClipModelOptions extends SessionOptions {
  /**
   * The process embeds one text, once, and exits (the CLI's `search` and `embed-text`): the text session then
   * skips ONNX Runtime's weight prepacking, which costs more at load than it saves on a single run (measured on
   * the ViT-B/32-cost text tower, loaded 2-core machine: load 0.45–0.86 s → 0.25–0.42 s int8, 1.0–1.9 s →
   * 0.2–0.65 s fp32, against a run 5–30 ms slower). Processes that stay up keep it: every later query is faster.
   */
  singleTextQuery?: boolean;
  /**
   * The process runs one command and exits (the CLI): a vision session opened for fewer than
   * FEW_IMAGES_WITHOUT_PREPACKING photos then skips weight prepacking too (see ClipModel.prepareVision).
   */
  shortLived?: boolean;
}

/**
 * Below this many photos, a short-lived process opens the vision session without weight prepacking. Measured
 * on the ViT-B/32-cost packs (2-core machine, same minute, scratch harness over openSession): prepacking costs
 * fp32 1.7–2.1 s of load (2.06–2.52 s against 0.28–0.43 s) and saves 4–15 % a batch of 8 (480–493 ms against
 * 511–556 ms) plus ~300 ms of the first run; int8 0.4–0.45 s of load (0.72–0.87 s against 0.31–0.43 s) for
 * 10–15 % a batch (145–165 against 165–190 ms) and ~40 ms of the first run. Break-even is ~200 photos (fp32)
 * and ~130 (int8) at the slower end of those savings: below 100 a first `shoebox index` of a few photos is
 * always faster without, and a long import (or the app, which stays up) keeps prepacking.
 */
export const FEW_IMAGES_WITHOUT_PREPACKING = 100;

/**
 * A loaded CLIP model pack. Sessions are opened lazily, once, and kept: a search opens only the text tower,
 * indexing only the vision tower, and a long-running process keeps the text encoder warm between searches.
 */
export class ClipModel {
  private vision: Promise<{ encoder: VisionThread; provider: ExecutionProvider }> | undefined;
  private text: Promise<{ encoder: ClipTextEncoder; provider: ExecutionProvider }> | undefined;
  private tokenizer: ClipTokenizer | undefined;
  /** Execution provider of each tower once its session is open (see [Note: execution provider fallback]). */
  readonly activeProviders: { vision?: ExecutionProvider; text?: ExecutionProvider } = {};
  /** Whether the vision session was opened with weight prepacking, once it is open (see prepareVision). */
  visionPrepacked: boolean | undefined;

  /** The tokenizer as the text encoder sees it, built on first use (see [Note: the first query's tokens on another thread]). */
  private readonly lazyTokenizer: Pick<ClipTokenizer, 'encode' | 'padId'>;

  constructor(
    readonly pack: ModelPack,
    private readonly options: ClipModelOptions = {},
  ) {
    this.lazyTokenizer = { padId: pack.tokenizer.padId, encode: (text) => this.getTokenizer().encode(text) };
  }

  /** See ClipModelOptions.shortLived: whether the number of photos a vision session is for matters. */
  get shortLived(): boolean {
    return this.options.shortLived === true;
  }

  get preprocessing() {
    return this.pack.preprocessing;
  }

  getTokenizer(): ClipTokenizer {
    this.tokenizer ??= new ClipTokenizer(this.pack.tokenizer);
    return this.tokenizer;
  }

  private visionEncoder(expectedImages?: number) {
    const few = this.options.shortLived && expectedImages !== undefined && expectedImages < FEW_IMAGES_WITHOUT_PREPACKING;
    const { onWarning, ...options } = this.options;
    const spec = {
      modelPath: this.pack.vision.path,
      options: { ...options, ...(few ? { prepackWeights: false } : {}) },
      preprocessing: this.pack.preprocessing,
      declared: { ...this.pack.vision, file: path.basename(this.pack.vision.path) },
    };
    // The session lives on a thread of its own: see [Note: inference off the main thread].
    this.vision ??= VisionThread.open(spec, onWarning ?? ((m) => process.emitWarning(m))).then(({ thread, provider }) => {
      this.activeProviders.vision = provider;
      this.visionPrepacked = spec.options.prepackWeights !== false;
      return { encoder: thread, provider };
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
   * ONNX Runtime builds a session on the calling thread, holding it for the whole load (1–2 s for ViT-B/32),
   * here the inference thread's (see [Note: inference off the main thread]): the indexer calls this as the
   * first photo is decoded, which then goes on meanwhile instead of after it. `expectedImages`, when known, is how many photos the session is
   * opened for: a short-lived process skips prepacking for a few (see FEW_IMAGES_WITHOUT_PREPACKING).
   */
  prepareVision(expectedImages?: number): void {
    this.visionEncoder(expectedImages).catch(() => {});
  }

  async embedCrops(crops: Buffer[]): Promise<Float32Array[]> {
    return (await this.visionEncoder()).encoder.embedCrops(crops);
  }

  /**
   * The working image the decoder should produce for this model (see [Note: decode once]): the model's own
   * resize step, shortest side to the resize edge with the pack's kernel, enlarging small photos as PIL does,
   * so the crop is a copy out of it. Every path that embeds a photo decodes with these, so a photo gets the
   * same vector whichever path embedded it.
   */
  get decodeSizes(): DecodeOptions {
    const { resizeShortestEdge, interpolation } = this.pack.preprocessing;
    return { workingShortSide: resizeShortestEdge, upscale: true, kernel: KERNEL[interpolation] };
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
