/**
 * The baseline end-to-end indexing is held to (issue 15): the least a program has to do to embed photos.
 * Each file is decoded straight to the model's crop by sharp (JPEG shrink-on-load, shortest side to the crop
 * size, centre crop), normalised into one tensor per batch of 8, and run through the vision tower; two batches'
 * decodes stay queued on libuv's threads while a batch is inferred, so decoding overlaps inference and never
 * waits for a batch to drain. Nothing else: no content hash, thumbnails, perceptual hash, metadata or database.
 *
 * Deliberately written without the app's code (only the pack's preprocessing constants), and with the same
 * ONNX Runtime session options the app uses (graph optimisation `all`, no spinning, ONNX Runtime's own thread
 * count), so the ratio measures the indexer's pipeline, not a different session. ONNX Runtime's `run` holds
 * the main thread, so the decodes it overlaps are the ones queued before it.
 */
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { ModelPack } from '../../app/model/pack-types.js';

export const PLAIN_BATCH = 8;

export interface PlainPipeline {
  /** Photos/s over `files`, after one warm-up batch (session load and first run are not throughput). */
  run(files: string[]): Promise<number>;
  release(): Promise<void>;
}

export async function plainPipeline(pack: ModelPack, batchSize = PLAIN_BATCH): Promise<PlainPipeline> {
  const session = await ort.InferenceSession.create(pack.vision.path, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const input = session.inputNames[0]!;
  const { cropSize: size, rescale, mean, std } = pack.preprocessing;
  const plane = size * size;

  const decode = (file: string) => sharp(file).resize(size, size, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  const tensor = (crops: Buffer[]) => {
    const data = new Float32Array(crops.length * 3 * plane);
    crops.forEach((crop, n) => {
      for (let c = 0; c < 3; c++) {
        const dst = (n * 3 + c) * plane;
        const s = rescale / std[c]!;
        const o = mean[c]! / std[c]!;
        for (let i = 0; i < plane; i++) data[dst + i] = crop[i * 3 + c]! * s - o;
      }
    });
    return new ort.Tensor('float32', data, [crops.length, 3, size, size]);
  };
  const infer = (crops: Buffer[]) => session.run({ [input]: tensor(crops) });

  return {
    async run(files) {
      await infer(await Promise.all(files.slice(0, batchSize).map(decode)));
      const started = performance.now();
      // Two batches decoding ahead of the one being inferred: libuv's threads always have files queued.
      const decoded: Promise<Buffer>[] = [];
      const queueUpTo = (end: number) => {
        for (let i = decoded.length; i < Math.min(end, files.length); i++) decoded.push(decode(files[i]!));
      };
      queueUpTo(2 * batchSize);
      for (let i = 0; i < files.length; i += batchSize) {
        const crops = await Promise.all(decoded.slice(i, i + batchSize));
        queueUpTo(i + 3 * batchSize);
        await infer(crops);
      }
      return files.length / ((performance.now() - started) / 1000);
    },
    release: () => session.release(),
  };
}
