/**
 * `npm run bench`: indexing throughput by stage and end to end, and text-query latency, in one run on this
 * machine. Prints one JSON line per figure, then a table. Uses ../shared (real photos, the vit-b32-shape
 * pack with ViT-B/32's real compute cost) when present, the committed tiny-clip fixture otherwise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { Core } from '../../app/core.js';
import { analyzePhoto } from '../../app/indexer/analyze-photo.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { TINY_CLIP, SAMPLES_DIR } from '../helpers/fixtures.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const CACHE = path.join(ROOT, 'test', '.cache', 'bench');
const rows: Record<string, unknown>[] = [];

function emit(row: Record<string, unknown>): void {
  rows.push(row);
  console.log(JSON.stringify(row));
}

/** vit-b32-shape is stored gzipped without a tokenizer: unpack it as a Hugging Face layout pack. */
function vitB32Pack(): string | undefined {
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
function photoSet(copies: number): { name: string; files: string[] } {
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

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, (performance.now() - t) / 1000];
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

async function benchIndexing(packDir: string, packName: string, photos: { name: string; files: string[] }, batchSize: number, concurrency: number) {
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
  // End to end: a fresh library, the real indexer (scan, hash, decode, embed, store).
  const library = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-'));
  const core = Core.open({ libraryDir: library, modelDir: packDir });
  await core.index([]); // registers the model (hashes its weights) and loads nothing else
  await core.getModel().embedCrops(crops.slice(0, 1)); // session load is not throughput
  const [report, indexSeconds] = await timed(() => core.index([path.dirname(photos.files[0]!)], { batchSize, decodeConcurrency: concurrency }));
  await core.close();
  fs.rmSync(library, { recursive: true, force: true });

  const decodeRate = n / decodeSeconds;
  const inferRate = n / inferSeconds;
  const predicted = 1 / (1 / decodeRate + 1 / inferRate);
  const endToEnd = report.indexed / indexSeconds;
  emit({ bench: 'indexing', model: packName, photos: photos.name, count: n, batchSize, decodeConcurrency: concurrency,
    decodePerSecond: round(decodeRate), inferencePerSecond: round(inferRate), endToEndPerSecond: round(endToEnd),
    predictedCpuSharedPerSecond: round(predicted), ratioToPredicted: round(endToEnd / predicted), indexed: report.indexed, failed: report.failed.length });
}

async function benchTextLatency(packDir: string, packName: string) {
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

/**
 * Duplicate scan over a synthetic catalog: random unit vectors (512-d, ViT-B/32's width) with random
 * perceptual hashes, one k-nearest query per photo. Quadratic in the catalog size with brute-force KNN,
 * so the figure at 100 000 is extrapolated from the measured size (and says so).
 */
async function benchDuplicateScan(count: number) {
  const { Catalog } = await import('../../app/catalog/catalog.js');
  const { findDuplicates } = await import('../../app/duplicates/find-duplicates.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-dupes-'));
  const catalog = Catalog.open(dir);
  const model = catalog.models.ensure('synthetic#0', 'synthetic', 512);
  const vectors = catalog.embeddings(model);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  catalog.transaction(() => {
    for (let i = 0; i < count; i++) {
      const v = new Float32Array(512).map(() => random());
      const norm = Math.hypot(...v);
      const hash = Array.from({ length: 16 }, () => Math.floor((random() + 1) * 8).toString(16)).join('');
      const id = catalog.photos.upsert({ path: `/synthetic/${i}.jpg`, folderId: null, size: 1, mtimeMs: 1, contentHash: `h${i}`, format: 'jpeg',
        width: 1, height: 1, ...EMPTY_METADATA, dhash: hash, sharpness: 1 });
      vectors.put(id, v.map((x) => x / norm));
    }
  });
  const [groups, seconds] = await timed(() => findDuplicates(catalog, vectors));
  catalog.close();
  fs.rmSync(dir, { recursive: true, force: true });
  emit({ bench: 'duplicate-scan', model: 'synthetic 512-d', photos: count, seconds: round(seconds), groups: groups.length,
    extrapolatedSecondsAt100k: round(seconds * (100_000 / count) ** 2) });
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const cpu = os.cpus()[0]?.model ?? 'unknown';
emit({ bench: 'machine', cpu, cores: os.availableParallelism(), memoryGiB: round(os.totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` });
const photos = photoSet(4);
const packs: [string, string][] = [[TINY_CLIP, 'tiny-clip']];
const vit = vitB32Pack();
if (vit) packs.push([vit, 'vit-b32-shape']);
else console.log('# ../shared/models/vit-b32-shape not found: ViT-B/32-cost figures skipped');
for (const [dir, name] of packs) {
  await benchIndexing(dir, name, photos, 16, 2);
  await benchTextLatency(dir, name);
}
await benchDuplicateScan(Number(process.env['BENCH_DUPES'] ?? 5000));
emit({ bench: 'memory', peakRssMiB: round(process.resourceUsage().maxRSS / 1024) });
fs.rmSync(path.dirname(photos.files[0]!), { recursive: true, force: true });

console.log('\n| bench | model | figures |\n|---|---|---|');
for (const row of rows) {
  const { bench, model, ...rest } = row;
  console.log(`| ${bench} | ${model ?? ''} | ${Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(', ')} |`);
}
