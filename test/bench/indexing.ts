/** Indexing throughput by stage and end to end, and text-query embedding latency (real photos, real models). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { Core } from '../../app/core.js';
import { analyzePhoto } from '../../app/indexer/analyze-photo.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { CACHE, emit, round, SHARED, timed } from './report.js';

/** vit-b32-shape is stored gzipped without a tokenizer: unpack it as a Hugging Face layout pack. */
export function vitB32Pack(): string | undefined {
  const src = path.join(SHARED, 'models', 'vit-b32-shape');
  if (!fs.existsSync(src)) return undefined;
  const dir = path.join(CACHE, 'vit-b32-shape');
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const part of ['vision_model', 'text_model']) {
    const out = path.join(dir, 'onnx', `${part}.onnx`);
    if (!fs.existsSync(out)) fs.writeFileSync(out, zlib.gunzipSync(fs.readFileSync(path.join(src, `${part}.onnx.gz`))));
  }
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) fs.copyFileSync(path.join(TINY_CLIP, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ _name_or_path: 'vit-b32-shape' }));
  return dir;
}

/**
 * The photos to index, copied into one folder `copies` times with a distinct trailing byte per copy, so
 * each copy is new content (no vector reuse) and a run is long enough for decode and inference to overlap.
 */
export function photoSet(copies: number): { name: string; files: string[] } {
  const real = path.join(SHARED, 'photos', 'real');
  const [name, srcDir] = fs.existsSync(real) ? ['shared/photos/real', real] : ['tiny-clip samples', SAMPLES_DIR];
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.jpg'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-photos-'));
  const files: string[] = [];
  for (let c = 0; c < copies; c++) {
    for (const f of sources) {
      const out = path.join(dir, `${c}-${f}`);
      fs.writeFileSync(out, Buffer.concat([fs.readFileSync(path.join(srcDir, f)), Buffer.from([c])]));
      files.push(out);
    }
  }
  return { name: `${name} ×${copies}`, files };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

export async function benchIndexing(packDir: string, packName: string, photos: { name: string; files: string[] }, batchSize: number, concurrency: number) {
  const model = new ClipModel(loadModelPack(packDir));
  const n = photos.files.length;
  // Decode + preprocess alone: read, one decode, CLIP crop, perceptual hash, sharpness, EXIF — as indexing does.
  const [crops, decodeSeconds] = await timed(() => mapLimit(photos.files, concurrency, async (f) => (await analyzePhoto(fs.readFileSync(f), model)).crop));
  // Inference alone on the same crops, after one warm-up batch.
  await model.embedCrops(crops.slice(0, Math.min(batchSize, n)));
  const [, inferSeconds] = await timed(async () => {
    for (let i = 0; i < n; i += batchSize) await model.embedCrops(crops.slice(i, i + batchSize));
  });
  await model.release();
  // End to end: a fresh library, the real indexer (scan, hash, decode, embed, store), decoding in the worker
  // pool (the default) and, for comparison, on the main thread.
  const endToEndRun = async (decodeThreads?: number) => {
    const library = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-'));
    const core = Core.open({ libraryDir: library, modelDir: packDir, ...(decodeThreads === undefined ? {} : { decodeThreads }) });
    await core.index([]); // registers the model (hashes its weights) and loads nothing else
    await core.getModel().embedCrops(crops.slice(0, 1)); // session load is not throughput
    const [report, seconds] = await timed(() => core.index([path.dirname(photos.files[0]!)], { batchSize, decodeConcurrency: concurrency }));
    await core.close();
    fs.rmSync(library, { recursive: true, force: true });
    return [report, seconds] as const;
  };
  const [, inlineSeconds] = await endToEndRun(0);
  const [report, indexSeconds] = await endToEndRun();

  const decodeRate = n / decodeSeconds;
  const inferRate = n / inferSeconds;
  const predicted = 1 / (1 / decodeRate + 1 / inferRate);
  const endToEnd = report.indexed / indexSeconds;
  emit({ bench: 'indexing', model: packName, photos: photos.name, count: n, batchSize, decodeConcurrency: concurrency,
    decodePerSecond: round(decodeRate), inferencePerSecond: round(inferRate), endToEndPerSecond: round(endToEnd),
    predictedCpuSharedPerSecond: round(predicted), ratioToPredicted: round(endToEnd / predicted), endToEndMainThreadDecodePerSecond: round(n / inlineSeconds),
    indexed: report.indexed, failed: report.failed.length });
}

export async function benchTextLatency(packDir: string, packName: string) {
  const pack = loadModelPack(packDir);
  const session = await ort.InferenceSession.create(pack.text.path);
  const model = new ClipModel(pack);
  const ids = model.getTokenizer().encode('boats on a lake at sunset');
  const run = (seq: number[]) => session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(seq.map(BigInt)), [1, seq.length]) });
  const padded = model.getTokenizer().encodePadded('boats on a lake at sunset', 49407);
  const median = async (seq: number[]) => {
    await run(seq);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) times.push((await timed(() => run(seq)))[1] * 1000);
    return times.sort((a, b) => a - b)[7]!;
  };
  emit({ bench: 'text-query', model: packName, tokens: ids.length, unpaddedMs: round(await median(ids)), padded77Ms: round(await median(padded)) });
  await session.release();
}

/** Both models when ../shared has vit-b32-shape, each indexed over the same photos. */
export async function benchIndexingAll(): Promise<void> {
  const photos = photoSet(4);
  const packs: [string, string][] = [[TINY_CLIP, 'tiny-clip']];
  const vit = vitB32Pack();
  if (vit) packs.push([vit, 'vit-b32-shape']);
  else console.log('# ../shared/models/vit-b32-shape not found: ViT-B/32-cost figures skipped');
  for (const [dir, name] of packs) {
    await benchIndexing(dir, name, photos, 16, 2);
    await benchTextLatency(dir, name);
  }
  fs.rmSync(path.dirname(photos.files[0]!), { recursive: true, force: true });
}
